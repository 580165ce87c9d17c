package dev.portcullis.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.Decision;
import dev.portcullis.audit.event.UserIdentity;
import dev.portcullis.audit.recorder.AuditConfig;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.recorder.OverflowPolicy;
import dev.portcullis.audit.sink.SegmentFileSink;
import dev.portcullis.cli.Portcullis;
import dev.portcullis.server.NodeAudit;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditCommandsTest {

    @TempDir
    Path data;

    private Path pem;

    @BeforeEach
    void trail() throws Exception {
        Files.writeString(data.resolve("node-id"), "n1\n");
        Run key = run("audit", "public-key", "--data-dir", data.toString());
        assertThat(key.exit).isZero();
        pem = data.resolve("auditor.pem");
        Files.writeString(pem, key.out);
        record(1, 12);
    }

    @Test
    void publicKeyPrintsTheSameKeyEveryTime() {
        Run again = run("audit", "public-key", "--data-dir", data.toString(), "--key-id");
        assertThat(again.out).startsWith("-----BEGIN PUBLIC KEY-----").contains("key-id: ");
        assertThat(again.out).startsWith(read(pem));
    }

    @Test
    void verifyCountsWhatVerifiedAndExitsZero() {
        Run r = run("audit", "verify", "--data-dir", data.toString(), "--public-key", pem.toString());
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).contains("node n1: ok, records 1..15").contains("verified 12 events, 0 restart markers and 3 digests");
    }

    @Test
    void verifyWithoutAPublicKeyUsesTheKeysHeldInTheKeyring() {
        Run r = run("audit", "verify", "--data-dir", data.toString());
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.err).contains("note: verifying with the public keys of the node keyring");
        assertThat(r.out).contains("verified 12 events");
    }

    @Test
    void publicKeyImportsALegacyKeyFileAndPrintsItsKey() throws Exception {
        Path other = data.resolve("other");
        byte[] der = AuditSigningKey.generatePkcs8();
        Path legacy = AuditSigningKey.legacyFile(other);
        Files.createDirectories(legacy.getParent());
        Files.writeString(legacy, "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n");
        Run r = run("audit", "public-key", "--data-dir", other.toString(), "--key-id");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).contains("key-id: " + AuditSigningKey.fromPkcs8(der).keyId());
        assertThat(legacy).doesNotExist();
        assertThat(run("audit", "public-key", "--data-dir", other.toString(), "--key-id").out).isEqualTo(r.out);
    }

    @Test
    void verifyNamesTheEditedRecordAndExitsOne() throws Exception {
        Path segment = segment();
        List<String> lines = Files.readAllLines(segment);
        lines.set(2, lines.get(2).replace("\"latencyMicros\":3", "\"latencyMicros\":4"));
        Files.write(segment, lines);
        Run r = run("audit", "verify", "--data-dir", data.toString(), "--public-key", pem.toString());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).contains("FAILED: node n1, " + segment.getFileName() + ":3 (seq 3): EDITED");
    }

    @Test
    void verifyExitsTwoWhenThereIsNothingToVerify() {
        Run r = run("audit", "verify", "--segments", data.resolve("empty").toString(), "--public-key", pem.toString());
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("no audit records");
    }

    @Test
    void queryFiltersAndPages() {
        Run denied = run("audit", "query", "--data-dir", data.toString(), "--decision", "ImplicitDeny");
        assertThat(denied.exit).as(denied.err).isZero();
        assertThat(denied.out.lines()).hasSize(1).allMatch(l -> l.contains("\"requestID\":\"req-7\""));

        Run page = run("audit", "query", "--data-dir", data.toString(), "--limit", "5");
        assertThat(page.out.lines()).hasSize(5);
        String token = page.err.lines().filter(l -> l.startsWith("next-page-token: ")).findFirst().orElseThrow()
                .substring("next-page-token: ".length());
        Run next = run("audit", "query", "--data-dir", data.toString(), "--limit", "5", "--page-token", token);
        assertThat(next.out.lines().findFirst().orElseThrow()).contains("\"requestID\":\"req-6\"");

        Run all = run("audit", "query", "--data-dir", data.toString(), "--limit", "5", "--all");
        assertThat(all.out.lines()).hasSize(12);
    }

    @Test
    void tailPrintsTheNewestAndFollowsNewEvents() throws Exception {
        Run last = run("audit", "tail", "--data-dir", data.toString(), "-n", "2");
        assertThat(last.out.lines()).hasSize(2);
        assertThat(last.out).contains("req-11").contains("req-12");

        StringWriter followed = new StringWriter();
        Thread tail = new Thread(() -> command(followed, new StringWriter()).execute("audit", "tail", "--data-dir",
                data.toString(), "-n", "0", "-f", "--interval", "20", "--follow-for", "1500"));
        tail.start();
        Thread.sleep(200);
        record(13, 2);
        tail.join();
        assertThat(followed.toString().lines()).hasSize(2);
        assertThat(followed.toString()).contains("req-13").contains("req-14");
    }

    @Test
    void verifiesAndQueriesThePostgresTable() throws Exception {
        String url = System.getenv().getOrDefault("PORTCULLIS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        try (var c = java.sql.DriverManager.getConnection(url)) {
            c.isValid(2);
        } catch (java.sql.SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("PostgreSQL not reachable at PORTCULLIS_TEST_PG_URL", e);
            }
            System.err.println("SKIPPING PostgreSQL CLI test: " + e.getMessage());
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "PostgreSQL not reachable");
        }
        String schema = "audit_cli_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String table = schema + ".events";
        try {
            AuditConfig config = AuditConfig.defaults("n1").withDigestEvery(5, Duration.ofHours(1));
            try (AuditRecorder recorder = AuditRecorder.start(config,
                    dev.portcullis.audit.sink.PostgresSink.connect(url, table),
                    key())) {
                for (int i = 1; i <= 8; i++) {
                    recorder.record(event(i), OverflowPolicy.FAIL_CLOSED);
                }
            }
            Run verify = run("audit", "verify", "--pg-url", url, "--pg-table", table, "--public-key", pem.toString());
            assertThat(verify.exit).as(verify.err).isZero();
            assertThat(verify.out).contains("verified 8 events, 0 restart markers and 2 digests");
            Run query = run("audit", "query", "--pg-url", url, "--pg-table", table, "--request-id", "req-5");
            assertThat(query.out.lines()).hasSize(1).allMatch(l -> l.contains("\"sequenceNumber\":5"));
        } finally {
            try (var c = java.sql.DriverManager.getConnection(url); var st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** The key the data directory's node signs with, from its keyring. */
    private AuditSigningKey key() throws Exception {
        ServerConfig config = new ConfigLoader().flag("data-dir", data.toString()).load();
        try (NodeAudit.KeyStore store = NodeAudit.openKeys(config)) {
            return NodeAudit.signingKey(store.keys(), "n1", data);
        }
    }

    private void record(int from, int count) throws Exception {
        AuditConfig config = AuditConfig.defaults("n1").withDigestEvery(5, Duration.ofHours(1));
        try (AuditRecorder recorder = AuditRecorder.start(config,
                new SegmentFileSink(SegmentFileSink.directoryIn(data), 1 << 20, Duration.ofHours(1)),
                key())) {
            for (int i = from; i < from + count; i++) {
                recorder.record(event(i), OverflowPolicy.FAIL_CLOSED);
            }
        }
    }

    private static AuditEvent event(int i) {
        return AuditEvent.builder()
                .eventTime(Instant.parse("2026-11-20T10:00:00Z").plusSeconds(i))
                .eventSource("iam.amazonaws.com")
                .eventName("GetRole")
                .userIdentity(new UserIdentity("IAMUser", "AIDAEXAMPLE", "arn:aws:iam::111122223333:user/alice",
                        "111122223333", "AKIAEXAMPLE", null, null))
                .requestParameters(new ObjectMapper().createObjectNode().put("roleName", "verification-service"))
                .requestId("req-" + i)
                .readOnly(true)
                .decision(Decision.of(i == 7 ? Decision.Outcome.ImplicitDeny : Decision.Outcome.Allow))
                .latencyMicros(i)
                .build();
    }

    private Path segment() throws Exception {
        try (Stream<Path> s = Files.list(SegmentFileSink.directoryIn(data))) {
            return s.findFirst().orElseThrow();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static CommandLine command(StringWriter out, StringWriter err) {
        CommandLine cl = Portcullis.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = command(out, err).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exit, String out, String err) {}
}
