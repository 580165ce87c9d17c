package dev.portcullis.bench;

import dev.portcullis.core.sigv4.AwsCredentials;
import dev.portcullis.core.sigv4.SigV4Signer;
import dev.portcullis.core.sigv4.SignedRequest;
import dev.portcullis.core.sigv4.SigningRequest;
import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.pipeline.QueryApi;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.PrincipalKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Closed-loop load driver for the Query APIs over HTTP on loopback: N client threads each sign (with our
 * signer) and send one request after another for a fixed time, after a warm-up. Prints throughput and
 * latency percentiles. The server runs in the same JVM on a temporary SQLite store, so on a 2-core
 * machine client and server share the CPUs: quote the figures as such.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.portcullis.bench.QueryLoadDriver assume-role 8 20</pre>
 */
public final class QueryLoadDriver {

    private static final String ACCOUNT = "111122223333";
    private static final String KEY = "AKIALOADDRIVER000001";
    private static final String SECRET = "loadDriverSecretKey000000000000000000000";

    private QueryLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        String op = args.length > 0 ? args[0] : "assume-role";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path dir = Files.createTempDirectory("portcullis-load");
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("data-dir", dir.toString()).load();
        Function<PortcullisNode.Parts, List<QueryApi>> apis = QueryLoadDriver::apis;
        try (PortcullisNode node = PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, ACCOUNT,
                PortcullisNode.ENV_ROOT_KEY_ID, KEY, PortcullisNode.ENV_ROOT_SECRET, SECRET), apis)) {
            node.state().apply(Change.CreateRole.of(ACCOUNT, "loadtest", "/", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"""));
            node.state().apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.ROLE, "loadtest", "read", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}"""));
            URI endpoint = URI.create("http://127.0.0.1:" + node.port() + "/");
            String service = op.equals("assume-role") ? "sts" : "iam";
            String body = op.equals("assume-role")
                    ? "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Floadtest&RoleSessionName=load"
                    : "Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Floadtest"
                            + "&ActionNames.member.1=s3%3AGetObject&ResourceArns.member.1=arn%3Aaws%3As3%3A%3A%3Abucket%2Fkey";
            if (args.length > 3 && args[3].equals("--wrk")) {
                // Serve for `seconds` while an external load generator (wrk) replays one pre-signed
                // request: the server's capacity without a Java client sharing its JVM.
                writeWrkScript(Path.of(args[4]), endpoint, service, body);
                System.out.println("wrk script " + args[4] + " for " + endpoint + "; serving " + seconds + " s");
                Thread.sleep(seconds * 1000L);
                return;
            }
            run(endpoint, service, body, threads, 5, false);
            Result r = run(endpoint, service, body, threads, seconds, true);
            System.out.printf("%s: %d threads, %d s: %d requests, %.0f req/s, errors %d, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    op, threads, seconds, r.count, r.count / (double) seconds, r.errors, r.p(0.50), r.p(0.90), r.p(0.99), r.p(1.0));
        } finally {
            GatewayLoadDriver.deleteTree(dir);
        }
    }

    private static void writeWrkScript(Path file, URI endpoint, String service, String body) throws java.io.IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of(endpoint.getAuthority()));
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        SignedRequest signed = SigV4Signer.create().sign(new SigningRequest("POST", "/", null, headers,
                body.getBytes(StandardCharsets.UTF_8)), AwsCredentials.of(KEY, SECRET), "us-east-1", service);
        StringBuilder lua = new StringBuilder()
                .append("wrk.method = \"POST\"\n")
                .append("wrk.body = \"").append(body).append("\"\n")
                .append("wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded; charset=utf-8\"\n");
        signed.headers().forEach((k, v) -> lua.append("wrk.headers[\"").append(k).append("\"] = \"").append(v).append("\"\n"));
        lua.append("response = function(status, headers, body) if status ~= 200 then wrk.thread:stop() end end\n");
        Files.writeString(file, lua.toString());
    }

    /** The APIs to serve besides STS: the IAM API when it is on the class path. */
    @SuppressWarnings("unchecked")
    private static List<QueryApi> apis(PortcullisNode.Parts parts) {
        try {
            Class<?> iam = Class.forName("dev.portcullis.server.iam.IamApi");
            for (var c : iam.getConstructors()) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0].isInstance(parts.state())) {
                    return List.of((QueryApi) c.newInstance(parts.state()));
                }
            }
        } catch (ReflectiveOperationException e) {
            // STS only.
        }
        return List.of();
    }

    private record Result(long count, long errors, long[] nanos) {
        double p(double q) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(nanos.length - 1, Math.ceil(q * nanos.length) - 1);
            return nanos[Math.max(0, i)] / 1e6;
        }
    }

    private static Result run(URI endpoint, String service, String body, int threads, int seconds, boolean record)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        SigV4Signer signer = SigV4Signer.create();
        AwsCredentials creds = AwsCredentials.of(KEY, SECRET);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[][] slot = {new long[1 << 16]};
            int[] n = {0};
            Thread w = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    long start = System.nanoTime();
                    try {
                        Map<String, List<String>> headers = new LinkedHashMap<>();
                        headers.put("Host", List.of(endpoint.getAuthority()));
                        headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
                        SignedRequest signed = signer.sign(new SigningRequest("POST", "/", null, headers, bytes), creds,
                                "us-east-1", service);
                        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
                        signed.headers().forEach(b::header);
                        HttpResponse<Void> resp = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
                        if (resp.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    if (record) {
                        if (n[0] == slot[0].length) {
                            slot[0] = Arrays.copyOf(slot[0], slot[0].length * 2);
                        }
                        slot[0][n[0]++] = System.nanoTime() - start;
                    }
                }
                synchronized (perThread) {
                    perThread.add(Arrays.copyOf(slot[0], n[0]));
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all.length, errors.get(), all);
    }
}
