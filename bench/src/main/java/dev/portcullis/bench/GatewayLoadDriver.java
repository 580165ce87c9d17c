package dev.portcullis.bench;

import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.core.sigv4.AwsCredentials;
import dev.portcullis.core.sigv4.SigV4Signer;
import dev.portcullis.core.sigv4.SignedRequest;
import dev.portcullis.core.sigv4.SigningRequest;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Open-model (fixed-rate) load driver for the gateway, on loopback. A sender thread schedules request
 * {@code i} at {@code start + i / rate} and hands it to one client event loop; each request's latency is
 * measured from its <em>scheduled</em> send time, so a stalled server or client shows up as latency
 * instead of as fewer requests (no coordinated omission). The same small {@code POST} goes to:
 *
 * <ul>
 *   <li>{@code direct}: the upstream itself (a Vert.x server on two event loops answering
 *       {@code 200 {"accepted":true}});</li>
 *   <li>{@code none}: the gateway, route with {@code "authorization": "NONE"};</li>
 *   <li>{@code iam}: the gateway, route with {@code "authorization": "IAM"}, SigV4-signed for
 *       {@code execute-api} by a role session the API's resource policy allows (authenticated, authorized
 *       and audited on every request). The signature is computed once per step and reused: signing
 *       costs the client a few µs and would otherwise be counted as gateway latency;</li>
 *   <li>{@code none-noaudit}, {@code iam-noaudit}: the same routes on a second gateway of the same node
 *       (same state, authenticator and policies) whose audit recorder is {@link AuditRecorder#disabled()},
 *       to measure what the audit trail costs (issue 7);</li>
 *   <li>{@code netty-floor}: {@link NettyProxyFloor}, a bare Netty proxy to the same upstream in the gateway's
 *       JVM (no routing, authentication, audit or timeouts): the floor of a JVM proxy on this stack;</li>
 *   <li>{@code vertx-floor}: {@link VertxProxyFloor}, the same bare proxy on Vert.x's HTTP server and client;</li>
 *   <li>{@code nginx}: {@code nginx} {@code proxy_pass} to the same upstream (keep-alive upstream pool),
 *       started here on a free port with a temporary prefix and config.</li>
 * </ul>
 *
 * <p>Warm-up: each target in turn for {@code --warmup-seconds} at {@code --warmup-rate}, in rounds, until a
 * round in which the JIT compiled for less than {@code --warmup-jit-ms} (at least two rounds, at most
 * {@code --warmup-rounds}), so that steps are not measured while C2 is still compiling the request path.
 * Then the rate steps up, the targets taking turns at each rate (so that other work on the machine weighs
 * on all of them alike), each target until its saturation: achieved rate below 95% of the target, a
 * backlog of more than two seconds of requests, or a median above {@code --sla-ms} (requests queueing);
 * a p99 above {@code --sla-ms} is flagged only. Each step also reports CPU time per request, split into
 * the server side (this process minus the client's and upstream's threads, plus nginx's processes for
 * {@code nginx}: gateway event loops, audit writer, GC and JIT), the client and the upstream.
 *
 * <p>With {@code --wrk-seconds N} the driver then measures each target's maximum throughput with
 * <a href="https://github.com/wg/wrk">wrk</a> (closed loop, {@code --wrk-connections} connections; the
 * same request, pre-signed for {@code iam}), {@code --wrk-rounds} rounds of the targets in turn, and
 * prints medians and ratios. {@code --rates 0} skips the fixed-rate steps.
 *
 * <p>The gateway runs in this JVM by default. {@code --gateway-jvm "OPTIONS"} runs it in a JVM of its own
 * ({@link GatewayBenchNode}, started with those JVM options and this class path), as nginx runs in its own
 * processes; its CPU is then that process's, measured from {@code /proc}.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.portcullis.bench.GatewayLoadDriver [--gateway-jvm "-Xms512m -Xmx512m"] \
 *     [--targets direct,nginx,none,iam] [--rates 1000,2000,…] [--seconds 5] [--warmup-seconds 10]
 *     [--warmup-rate 2000] [--warmup-rounds 5] [--warmup-jit-ms 200] [--connections 32] [--sla-ms 10]
 *     [--nginx /usr/sbin/nginx] [--wrk-seconds 10] [--wrk-rounds 3] [--wrk-connections 32] [--wrk-threads 1]
 *     [--wrk-warmup-seconds 5]</pre>
 */
public final class GatewayLoadDriver {

    private static final String ACCOUNT = GatewayBenchNode.ACCOUNT;
    private static final String ROOT_KEY = GatewayBenchNode.ROOT_KEY;
    private static final String ROOT_SECRET = GatewayBenchNode.ROOT_SECRET;
    private static final String API = GatewayBenchNode.API;
    private static final String ROLE = GatewayBenchNode.ROLE;
    private static final String PAYLOAD = "{\"channel\":\"C0123ABCD\",\"user\":\"U0456EFGH\","
            + "\"text\":\"@bot summarise incident INC-2291\",\"ts\":\"1732329000.000100\"}";
    private static final byte[] PAYLOAD_BYTES = PAYLOAD.getBytes(StandardCharsets.UTF_8);
    private static final String ANSWER = "{\"accepted\":true}";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private GatewayLoadDriver() {
    }

    /** Where requests go and what they carry; {@code external} is a process whose CPU counts as the server's (nginx). */
    private record Target(String name, int port, String path, Supplier<MultiMap> headers, ProcessHandle external) {
    }

    /** One step at one rate; CPU figures are µs per completed request. */
    private record Step(String target, int rate, double achieved, long ok, long errors, boolean saturated,
                        String why, double p50, double p90, double p99, double p999, double max, String load,
                        double serverCpu, double clientCpu, double upstreamCpu) {
    }

    /** Threads whose CPU is not the server's: the client's and the upstream's. */
    private record Accounting(Set<Long> client, Set<Long> upstream) {
    }

    /** CPU time (ns) at one instant: this process, the client's threads, the upstream's threads, an external process. */
    private record Cpu(long process, long client, long upstream, long external) {
        static Cpu now(Accounting a, ProcessHandle external) {
            return new Cpu(OS.getProcessCpuTime(), threadsCpu(a.client()), threadsCpu(a.upstream()), processCpu(external));
        }

        /** µs per request of server, client and upstream between {@code before} and this. */
        double[] perRequest(Cpu before, long requests) {
            long client = this.client - before.client;
            long upstream = this.upstream - before.upstream;
            long server = (process - before.process) - client - upstream + (external - before.external);
            double n = Math.max(1, requests) * 1e3;
            return new double[] {server / n, client / n, upstream / n};
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            drive(args);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // Vert.x threads would keep the JVM alive
        }
        System.exit(0);
    }

    private static void drive(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        List<String> targets = List.of(opt.getOrDefault("targets", "direct,nginx,none,iam").split(","));
        int[] rates = Arrays.stream(opt.getOrDefault("rates",
                "250,500,1000,2000,3000,4000,6000,8000,12000,16000,24000,32000").split(","))
                .mapToInt(Integer::parseInt).filter(r -> r > 0).toArray();
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "5"));
        int warmupSeconds = Integer.parseInt(opt.getOrDefault("warmup-seconds", "10"));
        int warmupRate = Integer.parseInt(opt.getOrDefault("warmup-rate", "2000"));
        int warmupRounds = Integer.parseInt(opt.getOrDefault("warmup-rounds", "5"));
        long warmupJitMs = Long.parseLong(opt.getOrDefault("warmup-jit-ms", "200"));
        int connections = Integer.parseInt(opt.getOrDefault("connections", "32"));
        double slaMs = Double.parseDouble(opt.getOrDefault("sla-ms", "10"));
        String nginxBin = opt.getOrDefault("nginx", "/usr/sbin/nginx");
        int wrkSeconds = Integer.parseInt(opt.getOrDefault("wrk-seconds", "0"));
        int wrkRounds = Integer.parseInt(opt.getOrDefault("wrk-rounds", "3"));
        int wrkConnections = Integer.parseInt(opt.getOrDefault("wrk-connections", "32"));
        int wrkThreads = Integer.parseInt(opt.getOrDefault("wrk-threads", "1"));

        System.out.printf("# %s, %d CPUs, java %s, load at start: %s%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage());
        Vertx upstreamVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(false));
        // Two server instances, each on its own event loop, sharing one random port (Vert.x: a negative port).
        int upstreamPort = upstream(upstreamVertx, -1);
        upstream(upstreamVertx, -1);
        String upstreamUrl = "http://127.0.0.1:" + upstreamPort;

        Path dir = Files.createTempDirectory("portcullis-gwbench");
        boolean withQuiet = targets.stream().anyMatch(t -> t.endsWith("-noaudit"));
        String gatewayJvm = opt.get("gateway-jvm");
        Process nginx = null;
        GatewayBenchNode inJvm = null;
        Process gatewayProcess = null;
        BlockingQueue<String> gatewayOut = new LinkedBlockingQueue<>();
        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(false));
        try {
            GatewayBenchNode.Ports ports;
            if (gatewayJvm == null) {
                inJvm = GatewayBenchNode.start(dir.resolve("node"), upstreamUrl, withQuiet);
                ports = inJvm.ports();
            } else {
                gatewayProcess = startGatewayJvm(gatewayJvm, dir.resolve("node"), upstreamUrl, withQuiet);
                drain(gatewayProcess, gatewayOut);
                ports = readPorts(gatewayOut);
            }
            ProcessHandle gatewayHandle = gatewayProcess == null ? null : gatewayProcess.toHandle();
            // The warm-up waits for the JIT of this JVM and, if the gateway has its own, of the gateway's too.
            var ownJit = ManagementFactory.getCompilationMXBean();
            Process child = gatewayProcess;
            BlockingQueue<String> childOut = gatewayOut;
            LongSupplier jitMillis = child == null ? ownJit::getTotalCompilationTime
                    : () -> ownJit.getTotalCompilationTime() + childJitMillis(child, childOut);
            System.out.println("# gateway " + (gatewayJvm == null ? "in the driver's JVM"
                    : "in its own JVM (pid " + gatewayProcess.pid() + ", options: " + gatewayJvm + ")"));
            AwsCredentials session = assumeRole(ports.api());
            int gatewayPort = ports.gateway();
            int quietPort = ports.quiet();
            List<Target> all = new ArrayList<>();
            for (String t : targets) {
                switch (t) {
                    case "direct" -> all.add(new Target(t, upstreamPort, "/execute", GatewayLoadDriver::plainHeaders, null));
                    case "none" -> all.add(new Target(t, gatewayPort, "/" + API + "/prod/open", GatewayLoadDriver::plainHeaders,
                            gatewayHandle));
                    case "iam" -> all.add(signedTarget(t, gatewayPort, session, gatewayHandle));
                    case "netty-floor" -> all.add(new Target(t, ports.floor(), "/execute", GatewayLoadDriver::plainHeaders,
                            gatewayHandle));
                    case "vertx-floor" -> all.add(new Target(t, ports.vertxFloor(), "/execute",
                            GatewayLoadDriver::plainHeaders, gatewayHandle));
                    case "none-noaudit" -> all.add(new Target(t, quietPort, "/" + API + "/prod/open",
                            GatewayLoadDriver::plainHeaders, gatewayHandle));
                    case "iam-noaudit" -> all.add(signedTarget(t, quietPort, session, gatewayHandle));
                    case "nginx" -> {
                        if (!Files.isExecutable(Path.of(nginxBin))) {
                            System.out.println("# nginx: " + nginxBin + " not found, skipped (apt-get install -y nginx)");
                            continue;
                        }
                        int port = freePort();
                        nginx = startNginx(nginxBin, dir.resolve("nginx"), port, upstreamPort);
                        all.add(new Target(t, port, "/execute", GatewayLoadDriver::plainHeaders, nginx.toHandle()));
                    }
                    default -> throw new IllegalArgumentException("unknown target " + t
                            + " (direct, nginx, none, iam, none-noaudit, iam-noaudit, netty-floor, vertx-floor)");
                }
            }
            HttpClient client = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                    .setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
            Context ctx = clientVertx.getOrCreateContext();
            Set<Long> clientThreads = loopThreads(clientVertx);
            clientThreads.add(Thread.currentThread().getId()); // the sender
            Accounting accounting = new Accounting(clientThreads, loopThreads(upstreamVertx));
            System.out.printf("# upstream %s, gateway port %d, %d connections, %d s steps, warm-up %d s at %d/s per target"
                    + " (2 to %d rounds, until JIT < %d ms a round), saturated when achieved < 95%% of target, backlog > 2 s"
                    + " or p50 > %.0f ms, flagged when p99 > %.0f ms%n", upstreamUrl, gatewayPort, connections, seconds,
                    warmupSeconds, warmupRate, warmupRounds, warmupJitMs, slaMs, slaMs);
            for (Target t : all) {
                Step check = run(client, ctx, t, 50, 1, slaMs, accounting);
                if (check.ok() == 0) {
                    throw new IllegalStateException(t.name() + ": no request succeeded (" + check + ")");
                }
            }
            warmUp(client, ctx, all, warmupRate, warmupSeconds, warmupRounds, warmupJitMs, slaMs, accounting, jitMillis);
            // Targets take turns at each rate, so that load from other work on the machine falls on all of them.
            List<Step> steps = new ArrayList<>();
            List<Target> running = new ArrayList<>(all);
            if (rates.length > 0) {
                System.out.println("target  rate/s  achieved/s  ok  errors  p50_us  p90_us  p99_us  p99.9_us  max_us"
                        + "  cpu_us/req(server,client,upstream)  load(1,5,15)  note");
            }
            for (int rate : rates) {
                for (Target t : List.copyOf(running)) {
                    Step s = run(client, ctx, t, rate, seconds, slaMs, accounting);
                    steps.add(s);
                    print(s);
                    if (s.saturated()) {
                        running.remove(t);
                    }
                    Thread.sleep(500);
                }
                if (running.isEmpty()) {
                    break;
                }
            }
            if (!steps.isEmpty()) {
                summarize(steps);
            }
            if (wrkSeconds > 0) {
                wrkRuns(all, dir, wrkSeconds, wrkRounds, wrkConnections, wrkThreads, accounting,
                        Integer.parseInt(opt.getOrDefault("wrk-warmup-seconds", "5")));
            }
        } finally {
            if (nginx != null) {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
            if (inJvm != null) {
                inJvm.close();
            }
            if (gatewayProcess != null) {
                gatewayProcess.getOutputStream().close();  // it serves until its stdin closes
                if (!gatewayProcess.waitFor(30, TimeUnit.SECONDS)) {
                    gatewayProcess.destroyForcibly();
                }
            }
            clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            upstreamVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            // The node's store and audit segments: hundreds of MB after a full run.
            deleteTree(dir);
        }
    }

    /** Deletes a directory and everything in it; what cannot be deleted is reported, not thrown. */
    static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.err.println("# could not delete " + p + ": " + e);
                }
            });
        } catch (IOException e) {
            System.err.println("# could not delete " + dir + ": " + e);
        }
    }

    private static Target signedTarget(String name, int port, AwsCredentials session, ProcessHandle gateway) {
        String path = "/" + API + "/prod/execute";
        return new Target(name, port, path, () -> signedHeaders(port, path, session), gateway);
    }

    /** One upstream server instance on its own event loop; instances listening on the same negative port share one socket. */
    private static int upstream(Vertx vertx, int port) throws Exception {
        java.util.concurrent.CompletableFuture<Integer> bound = new java.util.concurrent.CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> vertx.createHttpServer()
                .requestHandler(req -> req.body().onComplete(b -> req.response()
                        .putHeader("Content-Type", "application/json").end(ANSWER)))
                .listen(port, "127.0.0.1")
                .onSuccess(s -> bound.complete(s.actualPort()))
                .onFailure(bound::completeExceptionally));
        return bound.get(10, TimeUnit.SECONDS);
    }

    /**
     * Warm-up rounds (each target in turn), until a round in which the JIT compiled for less than
     * {@code jitMs}, after at least two rounds.
     */
    private static void warmUp(HttpClient client, Context ctx, List<Target> all, int rate, int seconds, int maxRounds,
                               long jitMs, double slaMs, Accounting accounting, LongSupplier jit) throws InterruptedException {
        for (int round = 1; round <= maxRounds; round++) {
            long before = jit.getAsLong();
            StringBuilder line = new StringBuilder();
            for (Target t : all) {
                Step s = run(client, ctx, t, rate, seconds, slaMs, accounting);
                line.append(String.format(" %s p50 %.0f us;", t.name(), s.p50()));
            }
            long compiled = jit.getAsLong() - before;
            System.out.printf("# warm-up round %d at %d/s: JIT %d ms;%s load %s%n", round, rate, compiled, line, loadAverage());
            if (round >= 2 && compiled < jitMs) {
                return;
            }
        }
    }

    private static void print(Step s) {
        System.out.printf("%-12s  %6d  %10.0f  %d  %d  %.0f  %.0f  %.0f  %.0f  %.0f  %.1f,%.1f,%.1f  %s  %s%n", s.target(),
                s.rate(), s.achieved(), s.ok(), s.errors(), s.p50(), s.p90(), s.p99(), s.p999(), s.max(), s.serverCpu(),
                s.clientCpu(), s.upstreamCpu(), s.load(), s.saturated() ? "SATURATED: " + s.why() : s.why() == null ? "" : s.why());
    }

    /** Runs one step: {@code rate} requests per second for {@code seconds}, then waits for the stragglers. */
    private static Step run(HttpClient client, Context ctx, Target target, int rate, int seconds, double slaMs,
                            Accounting accounting) throws InterruptedException {
        String load = loadAverage();
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong outstanding = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        MultiMap headers = target.headers().get();
        Buffer body = Buffer.buffer(PAYLOAD_BYTES);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(target.port()).setURI(target.path()).setHeaders(headers).setTimeout(30_000);
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = (long) rate * seconds;
        long backlogLimit = Math.max(2_000L, 2L * rate);
        Cpu cpuBefore = Cpu.now(accounting, target.external());
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        long sent = 0;
        String why = null;
        while (sent < total) {
            long now = System.nanoTime();
            // Requests 0..due-1 are due: their scheduled time start + i * period has come.
            long due = now < start ? 0 : Math.min(total, (now - start) / period + 1);
            if (due <= sent) {
                long next = start + sent * period;
                LockSupport.parkNanos(next - now);
                continue;
            }
            if (outstanding.get() > backlogLimit) {
                why = "backlog > 2 s of requests";
                break;
            }
            long[] intended = new long[(int) (due - sent)];
            for (int i = 0; i < intended.length; i++) {
                intended[i] = start + (sent + i) * period;
            }
            sent = due;
            outstanding.addAndGet(intended.length);
            ctx.runOnContext(v -> {
                for (long at : intended) {
                    client.request(options)
                            .compose(req -> req.send(body).compose(resp -> resp.body().map(b -> resp.statusCode())))
                            .onComplete(ar -> {
                                // Runs on the client's single event loop: the histogram needs no lock.
                                histogram.recordValue(Math.max(0, Math.min(System.nanoTime() - at, histogram.getHighestTrackableValue())));
                                if (ar.succeeded() && ar.result() == 200) {
                                    ok.incrementAndGet();
                                } else {
                                    errors.incrementAndGet();
                                }
                                outstanding.decrementAndGet();
                            });
                }
            });
        }
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(35);
        while (outstanding.get() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(1);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double[] cpu = Cpu.now(accounting, target.external()).perRequest(cpuBefore, ok.get() + errors.get());
        double achieved = ok.get() / elapsed;
        Histogram h = snapshot(ctx, histogram);
        double p50 = h.getValueAtPercentile(50) / 1e3;
        double p99 = h.getValueAtPercentile(99) / 1e3;
        if (why == null && achieved < 0.95 * rate) {
            why = "achieved < 95% of target";
        }
        if (why == null && p50 > slaMs * 1e3) {
            why = "p50 > " + slaMs + " ms: requests queue";
        }
        boolean saturated = why != null;
        if (!saturated && p99 > slaMs * 1e3) {
            // Reported, but the rate keeps stepping up: on a shared machine a single stall of another
            // process can push p99 over any bound at a rate the target sustains.
            why = "p99 > " + slaMs + " ms";
        }
        if (errors.get() > 0) {
            why = (why == null ? "" : why + "; ") + errors.get() + " errors";
        }
        return new Step(target.name(), rate, achieved, ok.get(), errors.get(), saturated, why,
                p50, h.getValueAtPercentile(90) / 1e3, p99,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, load, cpu[0], cpu[1], cpu[2]);
    }

    /** A copy of the histogram taken on the event loop that writes it. */
    private static Histogram snapshot(Context ctx, Histogram histogram) throws InterruptedException {
        Histogram[] copy = new Histogram[1];
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        ctx.runOnContext(v -> {
            copy[0] = histogram.copy();
            done.countDown();
        });
        done.await(10, TimeUnit.SECONDS);
        return copy[0];
    }

    /** Added latency per rate (target minus direct at the same rate) and the highest unsaturated rate. */
    private static void summarize(List<Step> steps) {
        System.out.println();
        System.out.println("# added latency vs direct at the same rate (unsaturated steps), microseconds");
        System.out.println("target        rate/s  p50_us  added_p50_us  p99_us  added_p99_us  server_cpu_us/req");
        for (Step s : steps) {
            if (s.target().equals("direct") || s.saturated()) {
                continue;
            }
            Optional<Step> d = steps.stream().filter(x -> x.target().equals("direct") && x.rate() == s.rate() && !x.saturated())
                    .findFirst();
            System.out.printf("%-12s  %6d  %.0f  %s  %.0f  %s  %.1f%n", s.target(), s.rate(), s.p50(),
                    d.map(x -> String.format("%+.0f", s.p50() - x.p50())).orElse("n/a"), s.p99(),
                    d.map(x -> String.format("%+.0f", s.p99() - x.p99())).orElse("n/a"), s.serverCpu());
        }
        System.out.println();
        System.out.println("# throughput: highest unsaturated step, and the highest rate achieved in any step");
        System.out.println("target        max_unsaturated_rate/s  max_achieved/s");
        steps.stream().map(Step::target).distinct().forEach(t -> {
            int best = steps.stream().filter(s -> s.target().equals(t) && !s.saturated()).mapToInt(Step::rate).max().orElse(0);
            double achieved = steps.stream().filter(s -> s.target().equals(t)).mapToDouble(Step::achieved).max().orElse(0);
            System.out.printf("%-12s  %d  %.0f%n", t, best, achieved);
        });
    }

    /** One wrk run's result. */
    private record WrkResult(double rps, String p50, String p99, long non2xx, double serverCpu) {
    }

    /** Maximum throughput of each target with wrk (closed loop), {@code rounds} rounds of the targets in turn. */
    private static void wrkRuns(List<Target> all, Path dir, int seconds, int rounds, int connections, int threads,
                                Accounting accounting, int warmupSeconds) throws Exception {
        System.out.println();
        if (warmupSeconds > 0) {
            // Closed-loop load with many connections takes branches the fixed-rate warm-up did not (the JIT
            // deoptimizes and recompiles hot Netty and gateway methods when wrk starts): one unrecorded run each.
            for (Target t : all) {
                WrkResult r = wrk(t, dir, warmupSeconds, connections, threads, accounting);
                System.out.printf("# wrk warm-up %s: %.0f req/s (not counted)%n", t.name(), r.rps());
            }
        }
        System.out.printf("# maximum throughput with wrk -t%d -c%d -d%ds, %d rounds (targets in turn); server CPU excludes"
                + " the upstream's threads (wrk is a separate process)%n", threads, connections, seconds, rounds);
        System.out.println("round  target        req/s  p50  p99  non2xx  server_cpu_us/req  load(1,5,15)");
        Map<String, List<WrkResult>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Target t : all) {
                String load = loadAverage();
                WrkResult r = wrk(t, dir, seconds, connections, threads, accounting);
                results.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(r);
                System.out.printf("%5d  %-12s  %.0f  %s  %s  %d  %.1f  %s%n", round, t.name(), r.rps(), r.p50(), r.p99(),
                        r.non2xx(), r.serverCpu(), load);
                Thread.sleep(1000);
            }
        }
        System.out.println();
        System.out.println("# wrk medians");
        Map<String, Double> median = new LinkedHashMap<>();
        results.forEach((name, rs) -> {
            double[] v = rs.stream().mapToDouble(WrkResult::rps).sorted().toArray();
            double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            double[] c = rs.stream().mapToDouble(WrkResult::serverCpu).sorted().toArray();
            median.put(name, m);
            System.out.printf("%-12s  median %.0f req/s  (runs %s)  server cpu median %.1f us/req%n", name, m,
                    Arrays.toString(rs.stream().mapToLong(r -> Math.round(r.rps())).toArray()), c[c.length / 2]);
        });
        ratio(median, "iam", "none");
        ratio(median, "iam", "nginx");
        ratio(median, "none", "nginx");
        ratio(median, "none", "none-noaudit");
        ratio(median, "iam", "iam-noaudit");
        ratio(median, "none-noaudit", "vertx-floor");
        ratio(median, "vertx-floor", "netty-floor");
        ratio(median, "netty-floor", "nginx");
    }

    private static void ratio(Map<String, Double> median, String a, String b) {
        if (median.containsKey(a) && median.containsKey(b)) {
            System.out.printf("%s / %s = %.0f%%%n", a, b, 100 * median.get(a) / median.get(b));
        }
    }

    private static WrkResult wrk(Target t, Path dir, int seconds, int connections, int threads, Accounting accounting)
            throws Exception {
        Path script = dir.resolve("wrk-" + t.name() + ".lua");
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\nwrk.body = [==[" + PAYLOAD + "]==]\n");
        t.headers().get().forEach(h -> lua.append("wrk.headers[\"").append(h.getKey()).append("\"] = [==[")
                .append(h.getValue()).append("]==]\n"));
        Files.writeString(script, lua);
        Cpu before = Cpu.now(accounting, t.external());
        Map<Long, Long> threadsBefore = allThreadsCpu();
        Process p = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency",
                "-s", script.toString(), "http://127.0.0.1:" + t.port() + t.path()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(seconds + 30L, TimeUnit.SECONDS);
        Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        Matcher total = Pattern.compile("(\\d+) requests in").matcher(out);
        if (!rps.find() || !total.find()) {
            throw new IllegalStateException("wrk output not understood:\n" + out);
        }
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        Matcher p50 = Pattern.compile("\\s50%\\s+(\\S+)").matcher(out);
        Matcher p99 = Pattern.compile("\\s99%\\s+(\\S+)").matcher(out);
        double[] cpu = Cpu.now(accounting, t.external()).perRequest(before, Long.parseLong(total.group(1)));
        if (Boolean.getBoolean("gwbench.threads")) {
            printThreadCpu(threadsBefore, allThreadsCpu(), Long.parseLong(total.group(1)));
        }
        return new WrkResult(Double.parseDouble(rps.group(1)), p50.find() ? p50.group(1) : "?",
                p99.find() ? p99.group(1) : "?", non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, cpu[0]);
    }

    private static Map<Long, Long> allThreadsCpu() {
        Map<Long, Long> m = new LinkedHashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            m.put(id, THREADS.getThreadCpuTime(id));
        }
        return m;
    }

    /** CPU µs per request of each thread that used more than 1% of the total ({@code -Dgwbench.threads=true}). */
    private static void printThreadCpu(Map<Long, Long> before, Map<Long, Long> after, long requests) {
        long total = 0;
        for (var e : after.entrySet()) {
            total += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        long all = total;
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L))))
                .filter(e -> e.getValue() > all / 100)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> {
                    var info = THREADS.getThreadInfo(e.getKey());
                    System.out.printf("#   thread %-40s %.1f us/req%n", info == null ? e.getKey() : info.getThreadName() + "#" + e.getKey(),
                            e.getValue() / 1e3 / Math.max(1, requests));
                });
        System.out.printf("#   all JVM threads %.1f us/req; process %s%n", all / 1e3 / Math.max(1, requests), "");
    }

    /** The ids of a Vert.x instance's event-loop threads (starting them if needed). */
    private static Set<Long> loopThreads(Vertx vertx) throws Exception {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        for (io.netty.util.concurrent.EventExecutor e : vertx.nettyEventLoopGroup()) {
            e.submit(() -> ids.add(Thread.currentThread().getId())).get(10, TimeUnit.SECONDS);
        }
        return ids;
    }

    private static long threadsCpu(Set<Long> ids) {
        long sum = 0;
        for (long id : ids) {
            long t = THREADS.getThreadCpuTime(id);
            sum += Math.max(0, t);
        }
        return sum;
    }

    /** CPU time (ns) of a process and its descendants, from {@code /proc} (0 when absent). */
    private static long processCpu(ProcessHandle p) {
        if (p == null) {
            return 0;
        }
        long ticks = 0;
        for (ProcessHandle h : java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()).toList()) {
            try {
                String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            } catch (IOException | RuntimeException e) {
                // the process ended
            }
        }
        return ticks * 10_000_000L; // USER_HZ = 100
    }

    /** Starts {@link GatewayBenchNode} in a JVM of its own with {@code options} (split on spaces) and this JVM's class path. */
    private static Process startGatewayJvm(String options, Path dataDir, String upstreamUrl, boolean withQuiet)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : options.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GatewayBenchNode.class.getName(),
                dataDir.toString(), upstreamUrl, Boolean.toString(withQuiet)));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * Reads the gateway process's standard output on a thread of its own (so that it never blocks on a full
     * pipe): its {@code ports} and {@code jit} answers go to {@code answers}, anything else (its log) is
     * dropped; {@code "exit"} is queued when the output ends.
     */
    private static void drain(Process p, BlockingQueue<String> answers) {
        Thread t = new Thread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("ports ") || line.startsWith("jit ")) {
                        answers.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            answers.add("exit");
        }, "gateway-process-output");
        t.setDaemon(true);
        t.start();
    }

    private static String answer(BlockingQueue<String> answers, String prefix) {
        try {
            String line = answers.poll(120, TimeUnit.SECONDS);
            if (line == null || !line.startsWith(prefix)) {
                throw new IllegalStateException("the gateway process did not answer '" + prefix.trim() + "' (got " + line
                        + ")");
            }
            return line.substring(prefix.length()).trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code ports API GATEWAY QUIET} line the gateway process prints once it serves. */
    private static GatewayBenchNode.Ports readPorts(BlockingQueue<String> answers) {
        String[] f = answer(answers, "ports ").split(" ");
        return new GatewayBenchNode.Ports(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                Integer.parseInt(f[3]), Integer.parseInt(f[4]));
    }

    /** The gateway process's JIT compilation time so far, in ms (it answers {@code jit} on its stdin). */
    private static long childJitMillis(Process p, BlockingQueue<String> answers) {
        try {
            p.getOutputStream().write("jit\n".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Long.parseLong(answer(answers, "jit "));
    }

    /** AssumeRole over the STS Query API, signed with our signer by the root key. */
    private static AwsCredentials assumeRole(int port) throws Exception {
        String body = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A" + ACCOUNT + "%3Arole%2F" + ROLE
                + "&RoleSessionName=gateway-bench&DurationSeconds=3600";
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of(endpoint.getAuthority()));
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SignedRequest signed = SigV4Signer.create().sign(new SigningRequest("POST", "/", null, headers, bytes),
                AwsCredentials.of(ROOT_KEY, ROOT_SECRET), "us-east-1", "sts");
        var http = java.net.http.HttpClient.newHttpClient();
        var b = java.net.http.HttpRequest.newBuilder(endpoint)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        signed.headers().forEach(b::header);
        var resp = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("AssumeRole: " + resp.statusCode() + " " + resp.body());
        }
        return AwsCredentials.of(xml(resp.body(), "AccessKeyId"), xml(resp.body(), "SecretAccessKey"),
                xml(resp.body(), "SessionToken"));
    }

    private static String xml(String doc, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(doc);
        if (!m.find()) {
            throw new IllegalStateException("AssumeRole answer has no " + element);
        }
        return m.group(1);
    }

    private static MultiMap plainHeaders() {
        return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    }

    private static MultiMap signedHeaders(int port, String path, AwsCredentials session) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("127.0.0.1:" + port));
        headers.put("Content-Type", List.of("application/json"));
        SignedRequest signed = SigV4Signer.create().sign(new SigningRequest("POST", path, null, headers, PAYLOAD_BYTES),
                session, "us-east-1", "execute-api");
        MultiMap m = plainHeaders();
        signed.headers().forEach(m::add);
        return m;
    }

    private static Process startNginx(String bin, Path prefix, int port, int upstreamPort) throws Exception {
        Files.createDirectories(prefix.resolve("logs"));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes auto;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log %1$s/logs/access.log combined buffer=64k flush=1s;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    upstream upstream_service { server 127.0.0.1:%3$d; keepalive 64; }
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            proxy_pass http://upstream_service;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    }
                }
                """.formatted(prefix, port, upstreamPort));
        Process p = new ProcessBuilder(bin, "-p", prefix.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                System.out.println("# nginx " + nginxVersion(bin) + " on port " + port + ", config " + conf);
                return p;
            } catch (IOException e) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("nginx exited: " + Files.readString(prefix.resolve("logs/stdout.log")));
                }
                Thread.sleep(100);
            }
        }
        p.destroy();
        throw new IllegalStateException("nginx did not start on port " + port);
    }

    private static String nginxVersion(String bin) {
        try {
            Process v = new ProcessBuilder(bin, "-v").redirectErrorStream(true).start();
            String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            v.waitFor(5, TimeUnit.SECONDS);
            return out.replace("nginx version: ", "");
        } catch (Exception e) {
            return "(version unknown)";
        }
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + "," + f[1] + "," + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --name value …, not " + args[i]);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }
}
