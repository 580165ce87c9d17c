package dev.portcullis.cli;

import dev.portcullis.audit.recorder.AuditConfig;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.sink.AuditSinkException;
import dev.portcullis.audit.sink.SegmentFileSink;
import dev.portcullis.server.NodeAudit;
import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigException;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.pipeline.ChangeAudit;
import dev.portcullis.state.IamState;
import dev.portcullis.state.StateConfig;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.keyring.KeyringException;
import dev.portcullis.state.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The store of a node, opened by a command other than {@code serve} (a picocli mixin): the same settings
 * ({@code --config}, {@code PORTCULLIS_*}, {@code --data-dir}, {@code --store-url}, {@code --keyring-file}) pick
 * the same store and keyring as {@code serve} would ({@link PortcullisNode#stateConfig}).
 *
 * <p>It only opens what exists: a SQLite store that was never started, or a missing keyring, is an error
 * rather than a fresh empty store (a key sealed under a keyring the nodes do not have would never open).
 * Several processes may write one store (SQLite in WAL mode serializes writers on the file lock, PostgreSQL
 * orders them by the log's unique sequence); a running node applies what another process appended when it
 * next catches up: when notified on PostgreSQL ({@code LISTEN/NOTIFY}), else within its poll interval (1 s).
 *
 * <p>Changes made through {@link Opened#state()} are audited like a node's: one {@code eventSource
 * portcullis} event per change, in a chain of the command's own (see {@link ChainLock}) in the node's audit
 * sink, signed with that chain's own key from the keyring.
 */
final class NodeStore {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML settings file, as for serve")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the node's data directory (default ./portcullis-data)")
    Path dataDir;

    @Option(names = "--store-url", paramLabel = "JDBC_URL", description = "jdbc:postgresql://… of a cluster's store")
    String storeUrl;

    @Option(names = "--keyring-file", paramLabel = "FILE", description = "the nodes' keyring (default DIR/keyring.json)")
    Path keyringFile;

    /** Thrown for settings or a store that cannot be used; the message is for the operator. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    /** The node's settings as {@code serve} would load them. */
    ServerConfig config(Map<String, String> env) throws Unusable {
        try {
            ConfigLoader loader = new ConfigLoader();
            if (configFile != null) {
                loader.file(configFile);
            }
            return loader.environment(env).flag("data-dir", dataDir).flag("store-url", storeUrl)
                    .flag("keyring-file", keyringFile).load();
        } catch (ConfigException e) {
            throw new Unusable(e.getMessage());
        }
    }

    /** Opens the store (and the audit trail of this process's changes). Close the result. */
    Opened open(Map<String, String> env) throws Unusable {
        ServerConfig config = config(env);
        StateConfig stateConfig = PortcullisNode.stateConfig(config);
        if (stateConfig.backend() == StateConfig.Backend.SQLITE && !Files.isRegularFile(stateConfig.sqliteFile())) {
            throw new Unusable("no Portcullis store at " + stateConfig.sqliteFile().toAbsolutePath()
                    + ": start `portcullis serve --data-dir " + config.dataDir() + "` once first, or name the store"
                    + " with --data-dir, --store-url or --config");
        }
        Keyring keyring;
        try {
            String fromEnv = env.get(Keyring.ENV);
            if (fromEnv != null && !fromEnv.isBlank()) {
                keyring = Keyring.loadOrCreate(config.effectiveKeyringFile()); // reads the variable
            } else if (Files.isRegularFile(config.effectiveKeyringFile())) {
                keyring = Keyring.load(config.effectiveKeyringFile());
            } else {
                throw new Unusable("no keyring at " + config.effectiveKeyringFile().toAbsolutePath()
                        + ": give the nodes' keyring with --keyring-file or $" + Keyring.ENV);
            }
        } catch (KeyringException e) {
            throw new Unusable(e.getMessage());
        }
        ChainLock lock = ChainLock.acquire(config);
        String nodeId = lock.nodeId();
        IamState state;
        try {
            state = IamState.open(stateConfig.withKeyring(keyring).withNodeName(nodeId));
        } catch (StoreException e) {
            lock.close();
            throw new Unusable(e.getMessage());
        }
        AuditRecorder audit;
        try {
            Files.createDirectories(config.dataDir());
            AuditConfig auditConfig = AuditConfig.defaults(nodeId);
            // The command's own chain, in the node's sink (segment files, or the cluster's table), signed with
            // its own key in the keyring; the node's legacy key file is the node's, never imported here.
            audit = AuditRecorder.start(auditConfig, NodeAudit.sink(config, auditConfig),
                    NodeAudit.signingKey(state.nodeKeys(), nodeId));
        } catch (IOException | AuditSinkException | RuntimeException e) {
            state.close();
            lock.close();
            throw new Unusable("cannot open the audit trail in " + config.dataDir() + ": " + e.getMessage());
        }
        state.onApplied(new ChangeAudit(audit, config.region(), Clock.systemUTC()));
        return new Opened(state, audit, lock);
    }

    private static String id(String raw) {
        String id = raw.replaceAll("[^A-Za-z0-9._-]", "-");
        return id.length() <= 64 ? id : id.substring(id.length() - 64);
    }

    /**
     * Which audit chain this process writes. A chain must have one writer at a time. In embedded mode the
     * commands of one host share the chain {@code cli-HOST} (continued from its last digest, each invocation
     * recorded as a restart, one signing key for all of them), taking turns on an exclusive lock on
     * {@code <data-dir>/audit/cli-HOST.lock}; a command that cannot have it within
     * {@link #WAIT} (another is running), and every command in cluster mode (whose data directory is not
     * shared by the cluster, so a file lock proves nothing there), writes a chain of its own,
     * {@code cli-HOST-PID}.
     */
    record ChainLock(String nodeId, FileChannel channel, FileLock lock) implements AutoCloseable {

        static final Duration WAIT = Duration.ofSeconds(5);

        static ChainLock acquire(ServerConfig config) {
            String host = System.getenv().getOrDefault("HOSTNAME", "host");
            String own = id("cli-" + host + "-" + ProcessHandle.current().pid());
            if (config.cluster()) {
                return new ChainLock(own, null, null);
            }
            String shared = id("cli-" + host);
            FileChannel channel = null;
            try {
                Path dir = SegmentFileSink.directoryIn(config.dataDir()).getParent();
                Files.createDirectories(dir);
                channel = FileChannel.open(dir.resolve(shared + ".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                long deadline = System.nanoTime() + WAIT.toNanos();
                do {
                    FileLock lock = channel.tryLock();
                    if (lock != null) {
                        return new ChainLock(shared, channel, lock);
                    }
                    Thread.sleep(50);
                } while (System.nanoTime() < deadline);
            } catch (IOException | OverlappingFileLockException e) {
                // fall through: a chain of its own is always correct
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(channel);
            return new ChainLock(own, null, null);
        }

        @Override
        public void close() {
            closeQuietly(channel);  // releases the lock
        }

        private static void closeQuietly(FileChannel channel) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    /** An open store and its audit recorder; closing flushes the audit (with a signed digest) first. */
    record Opened(IamState state, AuditRecorder audit, ChainLock lock) implements AutoCloseable {
        @Override
        public void close() {
            state.onApplied(null);
            try {
                audit.close();
                state.close();
            } finally {
                lock.close();
            }
        }
    }
}
