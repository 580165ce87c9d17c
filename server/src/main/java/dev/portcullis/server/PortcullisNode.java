package dev.portcullis.server;

import dev.portcullis.audit.recorder.AuditConfig;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.sink.AuditSinkException;
import dev.portcullis.core.token.SessionTokenCodec;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.gateway.Gateway;
import dev.portcullis.server.gateway.GatewayBootstrap;
import dev.portcullis.server.http.HttpListener;
import dev.portcullis.server.metrics.ServerMetrics;
import dev.portcullis.server.pipeline.AccessControl;
import dev.portcullis.server.pipeline.ChangeAudit;
import dev.portcullis.server.pipeline.LastUsedTracker;
import dev.portcullis.server.pipeline.Authenticator;
import dev.portcullis.server.pipeline.QueryApi;
import dev.portcullis.server.pipeline.QueryEndpoint;
import dev.portcullis.server.sts.StsApi;
import dev.portcullis.server.trail.AuditLookup;
import dev.portcullis.state.IamException;
import dev.portcullis.state.IamState;
import dev.portcullis.state.NewAccessKey;
import dev.portcullis.state.StateConfig;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.keyring.Keyring;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Portcullis node: the state (store + in-memory model), the audit recorder, and the API
 * listener with IAM and STS on the one pipeline. {@link #start} does everything {@code portcullis serve}
 * needs, including the first start's account and root access key.
 *
 * <p>Close order: stop taking requests and drain, then the audit (flushes a final digest), then the store.
 */
public final class PortcullisNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PortcullisNode.class);

    /** Environment variables that fix the first account and its root key instead of generating them. */
    public static final String ENV_ACCOUNT_ID = "PORTCULLIS_ACCOUNT_ID";
    public static final String ENV_ROOT_KEY_ID = "PORTCULLIS_ROOT_ACCESS_KEY_ID";
    public static final String ENV_ROOT_SECRET = "PORTCULLIS_ROOT_SECRET_ACCESS_KEY";

    /** How often stale sealed secrets are looked for after a key rotation. */
    static final java.time.Duration RESEAL_EVERY = java.time.Duration.ofMinutes(5);

    private final ServerConfig config;
    private LastUsedTracker lastUsed;
    private final Vertx vertx;
    private final IamState state;
    private final AuditRecorder audit;
    private final HttpListener listener;
    private final String accountId;
    private final Optional<NewAccessKey> generatedRootKey;
    private Gateway gateway;
    private String nodeId;
    private NodeAudit.Reader auditLog;

    private PortcullisNode(ServerConfig config, Vertx vertx, IamState state, AuditRecorder audit, HttpListener listener,
                           String accountId, Optional<NewAccessKey> generatedRootKey) {
        this.config = config;
        this.vertx = vertx;
        this.state = state;
        this.audit = audit;
        this.listener = listener;
        this.accountId = accountId;
        this.generatedRootKey = generatedRootKey;
    }

    /**
     * Opens the store, the audit trail and the listener. Extra APIs (the IAM API, later the gateway)
     * are added by {@code apis}, which receives the pieces they are built from.
     */
    public static PortcullisNode start(ServerConfig config, Map<String, String> env,
                                       Function<Parts, List<QueryApi>> apis) throws IOException {
        Files.createDirectories(config.dataDir());
        Clock clock = Clock.systemUTC();
        Keyring keyring = Keyring.loadOrCreate(config.effectiveKeyringFile());
        String nodeId = NodeAudit.nodeId(config);
        IamState state = IamState.open(stateConfig(config).withKeyring(keyring).withNodeName(nodeId));
        AuditRecorder audit = null;
        NodeAudit.Reader auditLog = null;
        Vertx vertx = null;
        try {
            AuditConfig auditConfig = AuditConfig.defaults(nodeId).withPolicies(config.auditPolicies());
            // One chain per node: segment files in embedded mode, the store's PostgreSQL table in cluster mode,
            // signed with the node's key from the keyring.
            audit = AuditRecorder.start(auditConfig, NodeAudit.sink(config, auditConfig),
                    NodeAudit.signingKey(state.nodeKeys(), nodeId, config.dataDir()), NodeAudit.exports(config));
            auditLog = NodeAudit.log(config);
            // One audit event per change this node applies, from here on (the first start's account and
            // root key included), recorded before apply returns.
            state.onApplied(new ChangeAudit(audit, config.region(), clock));
            String accountId = firstAccount(state, env);
            Optional<NewAccessKey> rootKey = rootKey(state, accountId, env);
            vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
            ServerMetrics metrics = new ServerMetrics();
            SessionTokenCodec tokens = new SessionTokenCodec(keyring.sealingKeys("session-token-v1"));
            AccessControl access = new AccessControl(clock, config.region());
            Authenticator authenticator = new Authenticator(state::view, tokens, clock, config.clockSkew());
            LastUsedTracker lastUsed = new LastUsedTracker(state, clock, config.region());
            Parts parts = new Parts(state, tokens, access, clock, config, lastUsed);
            List<QueryApi> all = new ArrayList<>(apis.apply(parts));
            all.add(new StsApi(tokens, access, clock, lastUsed));
            AuditRecorder recorder = audit;
            metrics.gauge("state.sequence", "Last change-log sequence applied by this node", state::appliedSequence);
            metrics.gauge("audit.pending", "Audit events queued, not yet written", () -> recorder.health().pending());
            QueryEndpoint endpoint = new QueryEndpoint(vertx, all, authenticator, access, state::view, audit, metrics,
                    config.region(), () -> "{\"status\":\"" + (recorder.health().healthy() ? "ok" : "degraded")
                            + "\",\"sequence\":" + state.appliedSequence() + ",\"audit\":"
                            + recorder.health().healthy() + "}", lastUsed);
            if (env.get(GatewayBootstrap.ENV_FILE) != null) {
                GatewayBootstrap.apply(state, accountId, Path.of(env.get(GatewayBootstrap.ENV_FILE)));
            }
            Gateway gateway = Gateway.start(vertx, state, authenticator, access, audit, metrics, config.region(),
                    config.gatewayRetryBackoff());
            HttpListener listener = new HttpListener(vertx, new HttpListener.Settings(config.host(), config.port(),
                    config.maxBodyBytes(), config.requestTimeout(), config.shutdownGrace(), config.tlsCertFile(),
                    config.tlsKeyFile()), AuditLookup.beside(gateway.onApiListener(endpoint, config.gatewayPort() < 0),
                    vertx, authenticator, access, state::view, audit, auditLog.log(), metrics, config.region()));
            listener.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (config.gatewayPort() >= 0) {
                gateway.listen(config.host(), config.gatewayPort(), config.requestTimeout(), config.shutdownGrace(),
                        config.tlsCertFile(), config.tlsKeyFile()).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                LOG.info("gateway listening on port {}", gateway.port());
            }
            LOG.info("portcullis listening on {}://{}:{} (account {}, {})", config.tls() ? "https" : "http",
                    config.host(), listener.port(), accountId, config);
            // After a master-key rotation, secrets sealed under older keys are re-sealed a batch at a
            // time in the background (the keyring keeps old keys until then).
            IamState sealed = state;
            Vertx loop = vertx;
            loop.setPeriodic(RESEAL_EVERY.toMillis(), id -> loop.executeBlocking(() -> sealed.resealSecrets(500), false)
                    .onFailure(e -> LOG.warn("re-sealing secrets failed: {}", e.toString())));
            PortcullisNode node = new PortcullisNode(config, vertx, state, audit, listener, accountId, rootKey);
            node.nodeId = nodeId;
            node.auditLog = auditLog;
            node.lastUsed = lastUsed;
            node.gateway = gateway;
            return node;
        } catch (AuditSinkException e) {
            closeQuietly(vertx, audit, auditLog, state);
            throw new IOException("cannot open the audit trail: " + e.getMessage(), e);
        } catch (IamException e) {
            closeQuietly(vertx, audit, auditLog, state);
            throw new IOException("cannot create the first account: " + e.getMessage(), e);
        } catch (Exception e) {
            closeQuietly(vertx, audit, auditLog, state);
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot start: " + e.getMessage(), e);
        }
    }

    /**
     * The store {@code config} names, as {@code serve} opens it (without keyring or node name): the one
     * place that decides, so that other commands opening a node's store (e.g.
     * {@code portcullis service-principal}) open the same one.
     */
    public static StateConfig stateConfig(ServerConfig config) {
        return config.cluster()
                ? StateConfig.postgres(config.effectiveStoreUrl(), config.storeSchema(), config.dataDir())
                : StateConfig.sqlite(config.dataDir());
    }

    /** What APIs are built from. */
    public record Parts(IamState state, SessionTokenCodec tokens, AccessControl access, Clock clock,
                        ServerConfig config, LastUsedTracker lastUsed) {
    }

    private static String firstAccount(IamState state, Map<String, String> env) throws IamException {
        if (!state.view().accounts().isEmpty()) {
            return state.view().accounts().get(0).accountId();
        }
        String id = env.get(ENV_ACCOUNT_ID);
        if (id == null || id.isBlank()) {
            SecureRandom random = new SecureRandom();
            StringBuilder b = new StringBuilder().append(1 + random.nextInt(9));
            for (int i = 0; i < 11; i++) {
                b.append(random.nextInt(10));
            }
            id = b.toString();
        } else if (!id.matches("\\d{12}")) {
            throw IamException.validation(ENV_ACCOUNT_ID + " must be 12 digits");
        }
        state.apply(Change.CreateAccount.of(id));
        return id;
    }

    /**
     * The root key: imported from the environment when given (and not yet stored), generated on the first
     * start otherwise. A generated secret is returned once, for printing.
     */
    private static Optional<NewAccessKey> rootKey(IamState state, String accountId, Map<String, String> env)
            throws IamException {
        String id = env.get(ENV_ROOT_KEY_ID);
        String secret = env.get(ENV_ROOT_SECRET);
        if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
            if (state.view().accessKey(id).isEmpty()) {
                state.importAccessKey(accountId, "", id, secret.toCharArray());
            }
            return Optional.empty();
        }
        String rootArn = "arn:aws:iam::" + accountId + ":root";
        boolean hasRootKey = state.view().accessKeys().stream()
                .anyMatch(e -> e.key().ownerArn().equals(rootArn));
        if (hasRootKey) {
            return Optional.empty();
        }
        return Optional.of(state.createRootAccessKey(accountId));
    }

    public int port() {
        return listener.port();
    }

    public String accountId() {
        return accountId;
    }

    /** The root access key generated on this start, if one was: shown once, never stored in clear. */
    public Optional<NewAccessKey> generatedRootKey() {
        return generatedRootKey;
    }

    /** The gateway's port: its own listener's, or the API port when it shares that listener. */
    public int gatewayPort() {
        return gateway == null || gateway.port() < 0 ? port() : gateway.port();
    }

    /** This node's id: names its audit chain and signing key (see {@link NodeAudit}). */
    public String nodeId() {
        return nodeId;
    }

    public IamState state() {
        return state;
    }

    public ServerConfig config() {
        return config;
    }

    @Override
    public void close() {
        try {
            listener.close().toCompletionStage().toCompletableFuture()
                    .get(config.shutdownGrace().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("listener did not close cleanly: {}", e.toString());
        }
        if (gateway != null) {
            gateway.close();
        }
        if (lastUsed != null) {
            lastUsed.close();
        }
        closeQuietly(vertx, audit, auditLog, state);
    }

    private static void closeQuietly(Vertx vertx, AuditRecorder audit, NodeAudit.Reader auditLog, IamState state) {
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("vert.x did not close cleanly: {}", e.toString());
            }
        }
        state.onApplied(null);
        if (audit != null) {
            audit.close();
        }
        if (auditLog != null) {
            auditLog.close();
        }
        state.close();
    }
}
