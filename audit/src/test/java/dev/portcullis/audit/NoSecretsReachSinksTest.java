package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.recorder.OverflowPolicy;
import dev.portcullis.audit.sink.JsonLinesExport;
import dev.portcullis.audit.sink.PostgresSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events full of secret keys, session tokens, signatures and passwords: none of them reaches any sink. */
class NoSecretsReachSinksTest {

    @TempDir
    Path dir;

    @Test
    void segmentFilesAndExportsHoldNoSecret() throws Exception {
        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        try (AuditRecorder recorder = AuditRecorder.start(Trails.config("n1", 3), Trails.segments(dir),
                AuditSigningKey.ephemeral(), List.of(JsonLinesExport.to(exported, "test")))) {
            for (int i = 0; i < 5; i++) {
                recorder.record(Events.fullOfSecrets(i), OverflowPolicy.FAIL_CLOSED);
            }
        }
        StringBuilder stored = new StringBuilder();
        for (Path segment : Trails.segmentFiles(dir)) {
            stored.append(new String(Files.readAllBytes(segment), StandardCharsets.UTF_8));
        }
        assertThat(stored).contains("HIDDEN_DUE_TO_SECURITY_REASONS").contains("secret-4");
        assertNoSecret(stored.toString());
        assertNoSecret(exported.toString(StandardCharsets.UTF_8));
    }

    @Test
    void thePostgresTableHoldsNoSecret() throws Exception {
        TestPostgres.requireAvailable();
        String table = TestPostgres.uniqueTable();
        try {
            try (AuditRecorder recorder = AuditRecorder.start(Trails.config("n1", 3),
                    PostgresSink.connect(TestPostgres.URL, table), AuditSigningKey.ephemeral())) {
                for (int i = 0; i < 5; i++) {
                    recorder.record(Events.fullOfSecrets(i), OverflowPolicy.FAIL_CLOSED);
                }
            }
            StringBuilder stored = new StringBuilder();
            try (Connection c = DriverManager.getConnection(TestPostgres.URL); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t")) {
                while (rs.next()) {
                    stored.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(stored).contains("secret-4");
            assertNoSecret(stored.toString());
        } finally {
            TestPostgres.dropSchemaOf(table);
        }
    }

    private static void assertNoSecret(String stored) {
        for (String secret : Events.ALL_SECRETS) {
            assertThat(stored).doesNotContain(secret);
        }
        // JSON escapes '/' nowhere, but check the escaped forms too in case a writer ever does.
        assertThat(stored).doesNotContain(Events.SECRET_KEY.replace("/", "\\/"));
    }
}
