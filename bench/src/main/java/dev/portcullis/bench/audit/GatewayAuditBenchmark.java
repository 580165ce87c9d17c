package dev.portcullis.bench.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.chain.Chain;
import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.ChainTail;
import dev.portcullis.audit.chain.PreparedEvent;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.Decision;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.core.policy.RequestPrincipal;
import dev.portcullis.core.token.SessionClaims;
import dev.portcullis.core.token.SessionType;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.server.http.RequestIds;
import dev.portcullis.server.pipeline.AuditTrail;
import dev.portcullis.server.pipeline.Caller;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The audit's CPU per gateway request, for the two route kinds the load driver measures: {@code none}
 * (an anonymous call to a {@code NONE} route, no decision) and {@code iam} (an {@code AssumeRole}
 * session allowed by the API's resource policy). The event is built as
 * {@code GatewayEndpoint.Invocation.record} builds it (the eight request parameters, then
 * {@code AuditTrail.event}); keep the two in step.
 *
 * <ul>
 *   <li>{@code buildEvent}: building and redacting the event (event loop);</li>
 *   <li>{@code prepareEvent}: its canonical JSON and the SHA-256 of the record's prefix (event loop);</li>
 *   <li>{@code linkPreparedEvent}: the writer's chaining share, with an Ed25519-signed digest every
 *       1,000 records amortised;</li>
 *   <li>{@code signDigest}: one digest signature;</li>
 *   <li>{@code recordEvent}: all of it through a real recorder over segment files (default settings),
 *       the writer thread, its writes and {@code fsync}s, GC and JIT included: run it with
 *       {@code -prof dev.portcullis.bench.CpuPerOpProfiler}, whose {@code cpu.process} is the audit's
 *       whole CPU per gateway event and {@code cpu.audit-writer} the writer thread's share.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class GatewayAuditBenchmark {

    static final String ACCOUNT = "111122223333";
    static final String ROLE_ARN = "arn:aws:iam::111122223333:role/SlackBotVerificationRole";
    static final String USER_AGENT = "aws-sdk-java/2.29.52 md/io#sync md/http#Apache ua/2.1 os/Linux#6.1 lang/java#17.0.15"
            + " md/OpenJDK_64-Bit_Server_VM#17.0.15 md/vendor#Debian md/en_US m/D";

    @Param({"none", "iam"})
    String route;

    private InboundRequest[] requests;
    private Caller caller;
    private Decision decision;
    private String mode;
    private String path;
    private String routeKey;
    private String resource;
    private int next;
    private AuditEvent event;
    private PreparedEvent prepared;
    private Chain chain;
    private AuditSigningKey key;
    private byte[] digestBytes;

    @Setup(Level.Trial)
    public void setUp() {
        boolean iam = route.equals("iam");
        mode = iam ? "IAM" : "NONE";
        path = iam ? "/execute" : "/open";
        routeKey = "POST " + path;
        resource = "arn:aws:execute-api:us-east-1:" + ACCOUNT + ":benchapi01/prod/POST" + path;
        requests = new InboundRequest[1024];
        Instant now = Instant.now();
        long start = System.nanoTime();
        for (int i = 0; i < requests.length; i++) {
            String id = RequestIds.uuid();
            // An SDK caller sends its user agent; the NONE caller (like the load driver's clients) sends none.
            List<String> userAgent = iam ? List.of(USER_AGENT) : List.of();
            requests[i] = new InboundRequest(id, id, "POST", "/prod" + path, null, "127.0.0.1:8080",
                    name -> name.equals("user-agent") ? userAgent : List.of(), new byte[0], "127.0.0.1", false,
                    now.plusNanos(i * 1_000L), start);
        }
        if (iam) {
            SessionClaims session = new SessionClaims("ASIA2FJRU27W3L5DVSIL", "not-a-real-secret-000000000000000000000",
                    SessionType.ASSUMED_ROLE, ACCOUNT, ROLE_ARN, "AROAYFSTZ45LDZEW7YJS", "bench-caller", null, Map.of(),
                    Set.of(), null, List.of(), now.minusSeconds(60), now.plusSeconds(3600), false, null, null);
            caller = new Caller(RequestPrincipal.assumedRole(ROLE_ARN, "AROAYFSTZ45LDZEW7YJS", "bench-caller", Map.of()),
                    "ASIA2FJRU27W3L5DVSIL", Optional.of(session), Optional.empty());
            decision = new Decision(Decision.Outcome.Allow, false, List.of("benchapi01/resource-policy/AllowBenchCaller"));
        }
        event = buildEvent();
        prepared = PreparedEvent.of(event);
        key = AuditSigningKey.ephemeral();
        chain = Chain.resume("bench-node-1", key, ChainTail.empty());
        digestBytes = new byte[400];
    }

    /** What {@code GatewayEndpoint.Invocation.record} does before handing the event to its slot. */
    @Benchmark
    public AuditEvent buildEvent() {
        InboundRequest request = requests[next++ & 1023];
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("apiId", "benchapi01");
        params.put("authorizationType", mode);
        params.put("httpMethod", request.method());
        params.put("path", path);
        params.put("resource", resource);
        params.put("routeKey", routeKey);
        params.put("stage", "prod");
        params.put("status", String.valueOf(200));
        return AuditTrail.event(request, "execute-api.amazonaws.com", "Invoke", "us-east-1", caller, params, decision,
                null, null, false);
    }

    @Benchmark
    public PreparedEvent prepareEvent() {
        return PreparedEvent.of(event);
    }

    @Benchmark
    public ChainRecord linkPreparedEvent() {
        ChainRecord r = chain.append(prepared, Instant.now());
        if (chain.undigested() >= 1000) {
            return chain.digest(Instant.now());
        }
        return r;
    }

    @Benchmark
    public byte[] signDigest() {
        digestBytes[0]++;
        return key.sign(digestBytes);
    }

    /**
     * A recorder over segment files with the default settings, for {@link #recordEvent}. It is closed when
     * the forked JVM exits rather than at the trial's end: JMH tears a trial's state down before the last
     * iteration's profilers run, and a closed writer's CPU could no longer be told apart.
     */
    @State(Scope.Benchmark)
    public static class Recorder {
        AuditFixtures.Opened opened;

        @Setup(Level.Trial)
        public void open() throws Exception {
            opened = AuditFixtures.recorder("segments");
            AuditFixtures.Opened o = opened;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    o.close();
                } catch (Exception e) {
                    // temporary files of a benchmark: best effort
                }
            }));
        }

    }

    /** Events recorded per {@link #recordEvent} call. */
    static final int BURST = 20;

    /**
     * Builds, prepares and records {@value #BURST} gateway events, then waits (sleeping) until the writer has
     * chained and stored them: the queue never fills, so no CPU goes to a producer retrying a full queue, and
     * the writer sees batches of about the size it sees at 10,000–20,000 requests per second (its 1 ms
     * linger). The wall time per operation is meaningless; {@code cpu.process} is the figure.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public void recordEvent(Recorder recorder) throws InterruptedException {
        AuditRecorder r = recorder.opened.recorder();
        for (int i = 0; i < BURST; i++) {
            AuditFixtures.recordWaiting(r, buildEvent());
        }
        while (r.health().pending() > 0) {
            Thread.sleep(1);
        }
    }
}
