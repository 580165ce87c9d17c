package dev.portcullis.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.state.change.Change;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Two nodes on one PostgreSQL store: a signed request to a replay-protected route accepted by one node
 * is refused when replayed to the other; routes without replay protection are not checked. Each run
 * uses a database of its own (the nodes use the schema {@code portcullis} in it), dropped afterwards.
 */
class GatewayClusterReplayTest {

    static final String PG_URL = System.getenv().getOrDefault("PORTCULLIS_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    static final String ACCOUNT = "111122223333";
    static final String API = "replayapi1";
    static final AwsCredentialsIdentity ROOT = AwsBasicCredentials.create("AKIAROOTEXAMPLE00001",
            "rootSecretExampleKey0000000000000000000");

    @TempDir
    static Path dir;
    static String database;
    static PortcullisNode nodeA;
    static PortcullisNode nodeB;
    static HttpServer upstream;
    static final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
            database = "portcullis_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at " + PG_URL + " (" + e.getMessage() + "); set PORTCULLIS_TEST_PG_URL";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            System.err.println("SKIPPING PostgreSQL tests: " + message);
            assumeTrue(false, message);
        }
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            received.add(ex.getRequestURI().getRawPath());
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        upstream.start();
        String storeUrl = PG_URL.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
        nodeA = node(storeUrl, "a");
        var state = nodeA.state();
        String up = "http://127.0.0.1:" + upstream.getAddress().getPort();
        state.apply(new Change.PutApi(API, ACCOUNT, API, Optional.empty(), Map.of(), Instant.now()));
        state.apply(new Change.PutStage(API, "prod", Map.of()));
        state.apply(new Change.PutRoute(API, "POST /once", up, "IAM", "sync", Map.of("replayProtection", "true")));
        state.apply(new Change.PutRoute(API, "POST /many", up, "IAM", "sync", Map.of()));
        nodeB = node(storeUrl, "b");
        assertThat(nodeB.state().view().api(API)).as("node B reads the same store").isPresent();
    }

    private static PortcullisNode node(String storeUrl, String name) throws Exception {
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("data-dir", dir.resolve(name).toString())
                .flag("store-url", storeUrl).flag("keyring-file", dir.resolve("keyring.json").toString()).load();
        return PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, ACCOUNT,
                PortcullisNode.ENV_ROOT_KEY_ID, "AKIAROOTEXAMPLE00001",
                PortcullisNode.ENV_ROOT_SECRET, "rootSecretExampleKey0000000000000000000"), parts -> List.of());
    }

    @AfterAll
    static void stop() {
        for (PortcullisNode n : new PortcullisNode[] {nodeA, nodeB}) {
            if (n != null) {
                n.close();
            }
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        if (database != null) {
            try (Connection c = DriverManager.getConnection(PG_URL); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("could not drop database " + database + ": " + e.getMessage());
            }
        }
    }

    static final byte[] BODY = "{\"transfer\":100}".getBytes(StandardCharsets.UTF_8);

    /** One signed request to {@code path}; the signature names no port, so it can go to either node. */
    static SdkHttpRequest signed(String path) {
        SdkHttpRequest req = SdkHttpRequest.builder().uri(URI.create("http://gateway.internal/" + API + "/prod" + path))
                .method(SdkHttpMethod.POST).putHeader("Content-Type", "application/json").build();
        return AwsV4HttpSigner.create().sign(r -> r.identity(ROOT).request(req)
                .payload(ContentStreamProvider.fromByteArray(BODY))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
    }

    /** Sends {@code request} to {@code node} over a raw socket (the signed Host header goes as signed). */
    static int send(SdkHttpRequest request, PortcullisNode node) throws Exception {
        StringBuilder head = new StringBuilder("POST " + request.encodedPath() + " HTTP/1.1\r\n");
        request.headers().forEach((k, vs) -> vs.forEach(v -> head.append(k).append(": ").append(v).append("\r\n")));
        if (request.firstMatchingHeader("Host").isEmpty()) {
            head.append("Host: gateway.internal\r\n");
        }
        head.append("Content-Length: ").append(BODY.length).append("\r\nConnection: close\r\n\r\n");
        try (var socket = new java.net.Socket("127.0.0.1", node.port())) {
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(BODY);
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return Integer.parseInt(answer.substring(9, 12));
        }
    }

    @Test
    void aSignedRequestAcceptedByOneNodeIsRefusedWhenReplayedToAnother() throws Exception {
        SdkHttpRequest once = signed("/once");
        assertThat(send(once, nodeA)).isEqualTo(200);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("/once");
        assertThat(send(once, nodeB)).as("replayed to the other node").isEqualTo(403);
        assertThat(send(once, nodeA)).as("replayed to the same node").isEqualTo(403);
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("no replay reached the upstream").isNull();

        // The first use may come to either node.
        Thread.sleep(1_100);  // a new X-Amz-Date, so a new signature
        SdkHttpRequest other = signed("/once");
        assertThat(send(other, nodeB)).isEqualTo(200);
        assertThat(send(other, nodeA)).isEqualTo(403);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("/once");

        // A route without replay protection is not checked anywhere.
        SdkHttpRequest many = signed("/many");
        assertThat(send(many, nodeA)).isEqualTo(200);
        assertThat(send(many, nodeB)).isEqualTo(200);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("/many");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("/many");
    }
}
