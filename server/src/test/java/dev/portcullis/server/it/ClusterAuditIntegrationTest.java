package dev.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.sink.PostgresLog;
import dev.portcullis.audit.sink.SegmentFileSink;
import dev.portcullis.audit.verify.AuditVerifier;
import dev.portcullis.audit.verify.NodeReport;
import dev.portcullis.audit.verify.VerificationResult;
import dev.portcullis.server.NodeAudit;
import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.iam.IamApi;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.keyring.NodeKeys;
import dev.portcullis.state.store.PostgresStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Cluster mode end to end: two nodes on one PostgreSQL schema each write their own chain, signed with
 * their own key from the shared keyring, to the audit table (no segment files); LookupEvents on one
 * node finds the other node's events; after shutdown both chains verify from the table with the
 * nodes' public keys.
 */
class ClusterAuditIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    @RegisterExtension
    final TestPostgres.FreshSchema schema = new TestPostgres.FreshSchema();

    @Test
    void eachNodeChainsItsRequestsIntoTheTableAndEveryChainVerifies() throws Exception {
        Path keyring = dir.resolve("shared-keyring.json");
        String createUserRequest;
        String callerIdentityRequest;
        try (Node a = new Node("node-a", dir.resolve("a"), keyring); Node b = new Node("node-b", dir.resolve("b"), keyring)) {
            try (IamClient iam = a.iam()) {
                createUserRequest = iam.createUser(r -> r.userName("carol")).responseMetadata().requestId();
            }
            try (StsClient sts = b.sts()) {
                callerIdentityRequest = sts.getCallerIdentity().responseMetadata().requestId();
                assertThat(sts.getCallerIdentity().account()).isEqualTo(RunningNode.ACCOUNT);
            }
            // LookupEvents on node a reads the table: node b's request is there too, and a's own.
            JsonNode fromB = lookupUntil(a, "{\"RequestId\":\"" + callerIdentityRequest + "\"}");
            assertThat(fromB.get("Events")).hasSize(1);
            assertThat(fromB.get("Events").get(0).get("EventName").asText()).isEqualTo("GetCallerIdentity");
            JsonNode onB = lookupUntil(b, "{\"RequestId\":\"" + createUserRequest + "\",\"EventName\":\"CreateUser\"}");
            assertThat(onB.get("Events").size()).isGreaterThanOrEqualTo(1);
        }
        assertThat(Files.exists(SegmentFileSink.directoryIn(dir.resolve("a")))).isFalse();
        assertThat(Files.exists(SegmentFileSink.directoryIn(dir.resolve("b")))).isFalse();

        Map<String, PublicKey> keys;
        try (PostgresStore store = PostgresStore.open(TestPostgres.URL, schema.name(), 2)) {
            keys = NodeAudit.publicKeys(new NodeKeys(store, Keyring.load(keyring)));
        }
        assertThat(keys).containsOnlyKeys("node-a", "node-b");
        assertThat(keys.get("node-a").getEncoded()).isNotEqualTo(keys.get("node-b").getEncoded());
        try (PostgresLog log = PostgresLog.connect(TestPostgres.URL, schema.name() + "." + NodeAudit.TABLE)) {
            assertThat(log.nodes()).containsExactly("node-a", "node-b");
            VerificationResult result = new AuditVerifier(keys.values()).verify(log);
            assertThat(result.verified()).as(result.summary()).isTrue();
            for (NodeReport n : result.nodes()) {
                assertThat(n.events()).as(n.nodeId()).isGreaterThanOrEqualTo(2);
                assertThat(n.digests()).as(n.nodeId()).isGreaterThanOrEqualTo(1);
                assertThat(n.unsignedTail()).as(n.nodeId()).isZero();
            }
            // one node's key does not pass the other's chain
            assertThat(new AuditVerifier(keys.get("node-a")).verify(log).verified()).isFalse();
        }
    }

    private JsonNode lookupUntil(Node node, String body) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            JsonNode r = lookup(node, body);
            if (r.get("Events").size() > 0 || System.nanoTime() > deadline) {
                return r;
            }
            Thread.sleep(50);
        }
    }

    private static JsonNode lookup(Node node, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest req = SdkHttpRequest.builder().uri(node.running.endpoint).method(SdkHttpMethod.POST)
                .putHeader("X-Amz-Target", "PortcullisAudit.LookupEvents")
                .putHeader("Content-Type", "application/x-amz-json-1.1").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(RunningNode.root()).request(req)
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "portcullis")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.running.endpoint + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.request().headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("host")) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** A cluster node: its own data directory and node id, the shared store schema and keyring. */
    private final class Node implements AutoCloseable {
        final RunningNode running;

        Node(String nodeId, Path dataDir, Path keyring) throws Exception {
            running = new RunningNode(new ConfigLoader().flag("port", 0).flag("data-dir", dataDir.toString())
                    .flag("store-url", TestPostgres.URL).flag("store-schema", schema.name()).flag("node-id", nodeId)
                    .flag("keyring-file", keyring.toString()).load(), parts -> List.of(new IamApi(parts.state())));
        }

        IamClient iam() {
            return running.iam(RunningNode.root());
        }

        StsClient sts() {
            return running.sts(RunningNode.root());
        }

        @Override
        public void close() {
            running.close();
        }
    }
}
