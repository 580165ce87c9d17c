package dev.portcullis.bench.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.Decision;
import dev.portcullis.audit.event.UserIdentity;
import dev.portcullis.audit.recorder.AuditConfig;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.recorder.AuditSlot;
import dev.portcullis.audit.recorder.AuditUnavailableException;
import dev.portcullis.audit.recorder.OverflowPolicy;
import dev.portcullis.audit.sink.AuditSink;
import dev.portcullis.audit.sink.PostgresSink;
import dev.portcullis.audit.sink.SegmentFileSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/** Shared set-up: realistic gateway events and recorders over each sink. */
final class AuditFixtures {

    static final String PG_URL = System.getenv().getOrDefault("PORTCULLIS_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    static final String ROLE_ARN = "arn:aws:iam::111122223333:role/verification-service";
    static final UserIdentity IDENTITY = new UserIdentity("AssumedRole", "AROAEXAMPLEID:job-42",
            "arn:aws:sts::111122223333:assumed-role/verification-service/job-42", "111122223333", "ASIAEXAMPLEKEYID0001",
            new UserIdentity.SessionContext(new UserIdentity.SessionIssuer("Role", "AROAEXAMPLEID", ROLE_ARN,
                    "111122223333", "verification-service"), Instant.parse("2026-11-20T09:55:00Z"), false), null);

    private AuditFixtures() {}

    /** The event a gateway invocation produces (what the server's pipeline will build per request). */
    static AuditEvent gatewayEvent(long i, String path, boolean allowed, long latencyMicros) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("apiId", "exec-api");
        params.put("stage", "prod");
        params.put("httpMethod", "POST");
        params.put("path", path);
        return AuditEvent.builder()
                .eventSource("execute-api.amazonaws.com")
                .eventName("Invoke")
                .awsRegion("us-east-1")
                .sourceIPAddress("10.0.3.17")
                .userAgent("aws-sdk-java/2.29.52 Linux/6.1 OpenJDK_64-Bit_Server_VM/17")
                .userIdentity(IDENTITY)
                .requestParameters(params)
                .requestId(UUID.randomUUID().toString())
                .correlationId("corr-" + i)
                .decision(allowed
                        ? Decision.of(Decision.Outcome.Allow, "arn:aws:execute-api:us-east-1:111122223333:exec-api#AllowVerificationRole")
                        : Decision.of(Decision.Outcome.ImplicitDeny))
                .errorCode(allowed ? null : "AccessDenied")
                .latencyMicros(latencyMicros)
                .build();
    }

    /** The gateway's policy: queue, and when the queue is full wait for room (a load driver never gives up). */
    static void recordWaiting(AuditRecorder recorder, AuditEvent event) {
        while (true) {
            try (AuditSlot slot = recorder.reserve(OverflowPolicy.BUFFER)) {
                slot.record(event);
                return;
            } catch (AuditUnavailableException full) {
                // Back off like a refused client rather than spin: on two cores a spinning producer
                // would steal the CPU the audit writer needs, and measure the benchmark, not the audit.
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** A recorder with the default settings (digest every 1,000 records or 60 s, queue 10,000) over the named sink. */
    static Opened recorder(String sink) throws Exception {
        Path dir = Files.createTempDirectory("portcullis-audit-bench");
        String table = "audit_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + ".events";
        AuditSink s = switch (sink) {
            case "segments" -> new SegmentFileSink(dir, 64L << 20, Duration.ofHours(1));
            case "postgres" -> PostgresSink.connect(PG_URL, table);
            default -> throw new IllegalArgumentException("sink is segments or postgres");
        };
        AuditRecorder recorder = AuditRecorder.start(AuditConfig.defaults("bench"), s, AuditSigningKey.ephemeral());
        return new Opened(recorder, dir, sink.equals("postgres") ? table : null);
    }

    record Opened(AuditRecorder recorder, Path dir, String pgTable) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            recorder.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException ignored) {
                        // temp files: best effort
                    }
                });
            }
            if (pgTable != null) {
                try (var c = java.sql.DriverManager.getConnection(PG_URL); var st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + pgTable.substring(0, pgTable.indexOf('.')) + " CASCADE");
                }
            }
        }
    }
}
