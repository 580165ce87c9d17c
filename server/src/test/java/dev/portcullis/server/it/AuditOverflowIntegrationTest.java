package dev.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.server.NodeAudit;
import dev.portcullis.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The audit overflow policy is a setting: a node in cluster mode whose audit table starts refusing writes
 * (a {@code CHECK (false)} constraint, as a full disk or a lost permission would) refuses STS requests with
 * 503 {@code ServiceUnavailable} under {@code audit-overflow-api: fail-closed} (the default) and keeps
 * answering them under {@code buffer}; either way, once the table takes writes again, every admitted
 * request's event is in it.
 */
class AuditOverflowIntegrationTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final TestPostgres.FreshSchema schema = new TestPostgres.FreshSchema();

    @Test
    void failClosedByDefaultRefusesWith503WhileTheAuditTableFailsAndLosesNothing() throws Exception {
        try (RunningNode node = node(null); StsClient sts = node.sts(RunningNode.root())) {
            String before = sts.getCallerIdentity().responseMetadata().requestId();
            await(() -> recorded(before));  // written (and the writer idle) before the table breaks
            breakAuditTable();
            String admitted = sts.getCallerIdentity().responseMetadata().requestId();  // admitted while healthy
            await(() -> !auditHealthy(node));

            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(503);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
            });

            repairAuditTable();
            await(() -> auditHealthy(node));
            String after = sts.getCallerIdentity().responseMetadata().requestId();
            await(() -> recorded(after));
            assertThat(List.of(before, admitted, after)).allSatisfy(id -> assertThat(recorded(id)).as(id).isTrue());
        }
    }

    @Test
    void bufferKeepsAnsweringWhileTheAuditTableFailsAndWritesTheEventsOnceItRecovers() throws Exception {
        try (RunningNode node = node("buffer"); StsClient sts = node.sts(RunningNode.root())) {
            breakAuditTable();
            String first = sts.getCallerIdentity().responseMetadata().requestId();
            await(() -> !auditHealthy(node));

            String whileFailing = sts.getCallerIdentity().responseMetadata().requestId();
            assertThat(recorded(whileFailing)).isFalse();

            repairAuditTable();
            await(() -> recorded(whileFailing));
            assertThat(recorded(first)).isTrue();
            assertThat(auditHealthy(node)).isTrue();
        }
    }

    private RunningNode node(String apiPolicy) throws Exception {
        ConfigLoader config = new ConfigLoader().flag("port", 0).flag("data-dir", dir.toString())
                .flag("store-url", TestPostgres.URL).flag("store-schema", schema.name()).flag("node-id", "overflow-node")
                .flag("audit-overflow-api", apiPolicy);
        return new RunningNode(config.load(), parts -> List.of());
    }

    private String table() {
        return schema.name() + "." + NodeAudit.TABLE;
    }

    private void breakAuditTable() throws Exception {
        sql("ALTER TABLE " + table() + " ADD CONSTRAINT audit_refuses_writes CHECK (false) NOT VALID");
    }

    private void repairAuditTable() throws Exception {
        sql("ALTER TABLE " + table() + " DROP CONSTRAINT audit_refuses_writes");
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(TestPostgres.URL); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** True when an event of this request id is stored. */
    private boolean recorded(String requestId) {
        try (Connection c = DriverManager.getConnection(TestPostgres.URL);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + table() + " WHERE request_id = ?")) {
            s.setString(1, requestId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean auditHealthy(RunningNode node) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(node.endpoint + "/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.body().contains("\"audit\":true");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 15 s").isLessThan(deadline);
            Thread.sleep(25);
        }
    }
}
