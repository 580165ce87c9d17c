package dev.portcullis.server.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.state.IamState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * One Portcullis node for a test class, as a JUnit extension registered on a static field: before the
 * class's own {@code @BeforeAll} methods it starts the optional loopback upstream, then the node on a
 * fresh data directory (listener and gateway on free ports, {@link #ACCOUNT} with the example root key,
 * no extra Query APIs); after the class it closes the node, stops the upstream and deletes the directory.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NodeUnderTest node = NodeUnderTest.withFlags("gateway-retry-backoff", "20ms").upstream(Test::answer);
 * }</pre>
 */
public final class NodeUnderTest implements BeforeAllCallback, AfterAllCallback {

    public static final String ACCOUNT = "111122223333";
    public static final String ROOT_KEY_ID = "AKIAROOTEXAMPLE00001";
    public static final String ROOT_SECRET = "rootSecretExampleKey0000000000000000000";
    /** The root of {@link #ACCOUNT}, signing with the key the node is started with. */
    public static final AwsCredentialsIdentity ROOT = AwsBasicCredentials.create(ROOT_KEY_ID, ROOT_SECRET);

    private final Map<String, Object> flags = new LinkedHashMap<>();
    private HttpHandler upstreamHandler;
    private HttpServer upstream;
    private Path dataDir;
    private PortcullisNode node;
    private SignedHttp http;

    private NodeUnderTest() {
    }

    /** A node with these settings (name, value pairs) besides {@code port} 0 and its {@code data-dir}. */
    public static NodeUnderTest withFlags(String... pairs) {
        NodeUnderTest n = new NodeUnderTest();
        for (int i = 0; i < pairs.length; i += 2) {
            n.flags.put(pairs[i], pairs[i + 1]);
        }
        return n;
    }

    /**
     * Also an upstream on {@code 127.0.0.1} (a free port) answering with {@code handler}, each exchange on a
     * thread of its own so that a handler may hold a request; started before the node.
     */
    public NodeUnderTest upstream(HttpHandler handler) {
        upstreamHandler = handler;
        return this;
    }

    /** The environment that makes the node's root {@link #ROOT}. */
    public static Map<String, String> rootEnvironment() {
        return Map.of(PortcullisNode.ENV_ACCOUNT_ID, ACCOUNT, PortcullisNode.ENV_ROOT_KEY_ID, ROOT_KEY_ID,
                PortcullisNode.ENV_ROOT_SECRET, ROOT_SECRET);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (upstreamHandler != null) {
            upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            upstream.setExecutor(Executors.newCachedThreadPool());
            upstream.createContext("/", upstreamHandler);
            upstream.start();
        }
        dataDir = Files.createTempDirectory("junit");
        ConfigLoader config = new ConfigLoader().flag("port", 0).flag("data-dir", dataDir.toString());
        flags.forEach(config::flag);
        node = PortcullisNode.start(config.load(), rootEnvironment(), parts -> List.of());
        http = SignedHttp.to(node.port());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (node != null) {
            node.close();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    public PortcullisNode node() {
        return node;
    }

    public int port() {
        return node.port();
    }

    public int gatewayPort() {
        return node.gatewayPort();
    }

    public IamState state() {
        return node.state();
    }

    /** Signed requests to the node's listener. */
    public SignedHttp http() {
        return http;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int upstreamPort() {
        return upstream.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} of the upstream. */
    public String upstreamUrl() {
        return "http://127.0.0.1:" + upstreamPort();
    }
}
