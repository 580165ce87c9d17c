package dev.portcullis.bench;

import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.gateway.Gateway;
import dev.portcullis.server.metrics.ServerMetrics;
import dev.portcullis.server.pipeline.Authenticator;
import dev.portcullis.state.change.Change;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The gateway under test for {@link GatewayLoadDriver}: a Portcullis node (SQLite store and audit trail in
 * a directory of its own) with the bench API ({@code POST /execute} with {@code IAM}, {@code POST /open}
 * with {@code NONE}, a resource policy that admits only {@code BenchCallerRole}) and, if asked, a second
 * gateway over the same state whose audit recorder records nothing.
 *
 * <p>It runs inside the driver's JVM, or (the driver's {@code --gateway-jvm}) as a process of its own, as
 * nginx does, so that the gateway's garbage collector and JIT do not share a JVM with the load client and
 * the upstream: {@link #main} starts the node, prints {@code ports API GATEWAY QUIET}, answers each
 * {@code jit} line on its standard input with {@code jit MILLIS} (its JIT compilation time so far, for the
 * driver's warm-up), and runs until its standard input closes.
 */
final class GatewayBenchNode implements AutoCloseable {

    static final String ACCOUNT = "111122223333";
    static final String ROOT_KEY = "AKIAGATEWAYBENCH0001";
    static final String ROOT_SECRET = "gatewayBenchRootSecret000000000000000000";
    static final String API = "benchapi01";
    static final String ROLE = "BenchCallerRole";

    /** The node's API port, its gateway port, and the audit-less gateway's port (-1 when not started). */
    record Ports(int api, int gateway, int quiet, int floor, int vertxFloor) {
    }

    private final PortcullisNode node;
    private final Gateway quiet;
    private final Vertx quietVertx;
    private final Ports ports;
    private final NettyProxyFloor floor;
    private final VertxProxyFloor vertxFloor;

    private GatewayBenchNode(PortcullisNode node, Gateway quiet, Vertx quietVertx, NettyProxyFloor floor,
                             VertxProxyFloor vertxFloor, Ports ports) {
        this.floor = floor;
        this.vertxFloor = vertxFloor;
        this.node = node;
        this.quiet = quiet;
        this.quietVertx = quietVertx;
        this.ports = ports;
    }

    static GatewayBenchNode start(Path dir, String upstreamUrl, boolean withQuiet) throws Exception {
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("gateway-port", 0)
                .flag("data-dir", dir.toString()).load();
        PortcullisNode.Parts[] parts = new PortcullisNode.Parts[1];
        PortcullisNode node = PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, ACCOUNT,
                PortcullisNode.ENV_ROOT_KEY_ID, ROOT_KEY, PortcullisNode.ENV_ROOT_SECRET, ROOT_SECRET), p -> {
                    parts[0] = p;
                    return List.of();
                });
        Gateway quiet = null;
        Vertx quietVertx = null;
        NettyProxyFloor floor = null;
        VertxProxyFloor vertxFloor = null;
        try {
            setUpApi(node, upstreamUrl);
            int quietPort = -1;
            if (withQuiet) {
                // The same node's state, authenticator and policies behind a second gateway whose recorder
                // records nothing: the only difference from "none"/"iam" is the audit trail. NIO, as the node's.
                PortcullisNode.Parts p = parts[0];
                quietVertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
                quiet = Gateway.start(quietVertx, p.state(),
                        new Authenticator(p.state()::view, p.tokens(), p.clock(), config.clockSkew()), p.access(),
                        AuditRecorder.disabled(), new ServerMetrics(), config.region(), config.gatewayRetryBackoff());
                quietPort = quiet.listen("127.0.0.1", 0, config.requestTimeout(), config.shutdownGrace(), null, null)
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            // The reference point "netty-floor": a bare Netty proxy to the same upstream, in this same JVM.
            java.net.URI up = java.net.URI.create(upstreamUrl);
            floor = NettyProxyFloor.start(up.getHost(), up.getPort());
            vertxFloor = VertxProxyFloor.start(up.getHost(), up.getPort());
            return new GatewayBenchNode(node, quiet, quietVertx, floor, vertxFloor,
                    new Ports(node.port(), node.gatewayPort(), quietPort, floor.port(), vertxFloor.port()));
        } catch (Exception | Error e) {
            if (floor != null) {
                floor.close();
            }
            if (vertxFloor != null) {
                vertxFloor.close();
            }
            node.close();
            throw e;
        }
    }

    Ports ports() {
        return ports;
    }

    private static void setUpApi(PortcullisNode node, String upstreamUrl) throws Exception {
        var state = node.state();
        String trust = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
                 "Action":"sts:AssumeRole"}]}""";
        String resourcePolicy = """
                {"Version":"2012-10-17","Statement":[{"Sid":"BenchCallerOnly","Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::111122223333:role/BenchCallerRole"},
                 "Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:benchapi01/*"}]}""";
        state.apply(Change.CreateRole.of(ACCOUNT, ROLE, "/", trust));
        state.apply(new Change.PutApi(API, ACCOUNT, "gateway-bench", Optional.of(resourcePolicy), Map.of(), Instant.now()));
        state.apply(new Change.PutStage(API, "prod", Map.of()));
        state.apply(new Change.PutRoute(API, "POST /execute", upstreamUrl, "IAM", "sync", Map.of()));
        state.apply(new Change.PutRoute(API, "POST /open", upstreamUrl, "NONE", "sync", Map.of()));
    }

    @Override
    public void close() throws Exception {
        try {
            floor.close();
            vertxFloor.close();
            if (quiet != null) {
                quiet.close();
                quietVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } finally {
            node.close();
        }
    }

    /** {@code GatewayBenchNode DIR UPSTREAM_URL WITH_QUIET}: prints the ports, serves until stdin closes. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: GatewayBenchNode DATA_DIR UPSTREAM_URL true|false");
            System.exit(2);
        }
        try (GatewayBenchNode n = start(Path.of(args[0]), args[1], Boolean.parseBoolean(args[2]))) {
            Ports p = n.ports();
            System.out.println("ports " + p.api() + " " + p.gateway() + " " + p.quiet() + " " + p.floor() + " "
                    + p.vertxFloor());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("jit")) {  // the driver's warm-up asks how long this JVM has compiled
                    System.out.println("jit " + jit.getTotalCompilationTime());
                    System.out.flush();
                }
            }
        }
        System.exit(0);
    }
}
