package dev.portcullis.server;

import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.recorder.AuditConfig;
import dev.portcullis.audit.sink.AuditLog;
import dev.portcullis.audit.sink.AuditSink;
import dev.portcullis.audit.sink.JsonLinesExport;
import dev.portcullis.audit.sink.PostgresLog;
import dev.portcullis.audit.sink.PostgresSink;
import dev.portcullis.audit.sink.SegmentFileSink;
import dev.portcullis.audit.sink.SegmentFiles;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.state.StateConfig;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.keyring.NodeKeys;
import dev.portcullis.state.keyring.Secret;
import dev.portcullis.state.store.PostgresStore;
import dev.portcullis.state.store.SqliteStore;
import dev.portcullis.state.store.Store;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node's audit goes and what signs it.
 *
 * <p><b>Node id.</b> Each node has one chain and one signing key, both named by its node id: the
 * {@code node-id} setting ({@code PORTCULLIS_NODE_ID}) when given, otherwise the id kept in
 * {@code <dataDir>/node-id}, which the first start writes (as {@code <HOSTNAME>-<port>}, the id
 * earlier releases derived on every start, so existing chains continue). In a cluster every node
 * must have its own id: give each its own data directory or set {@code node-id} (a StatefulSet pod
 * name, say). Two nodes with one id would write one chain; the table's primary key refuses the
 * second writer's records, so its audit fails closed rather than interleaving.
 *
 * <p><b>Signing key.</b> The Ed25519 key lives in the keyring: its PKCS#8 encoding is sealed with the
 * keyring's current master key (AES-GCM, like access-key secrets) and stored in the state store's
 * {@code node_keys} table under (node id, {@value #KEY_PURPOSE}), generated on the node's first
 * start. In a cluster the store and keyring are shared, so a node keeps its key even if its data
 * directory is lost. A key file left by an earlier release ({@code <dataDir>/audit/audit-signing-key.pem})
 * is imported on start and deleted, so chains it signed keep verifying with the same public key.
 *
 * <p><b>Sink.</b> Embedded mode (SQLite): segment files in {@code <dataDir>/audit/segments}. Cluster
 * mode (a {@code jdbc:postgresql:} store): the table {@code <store-schema>.audit_records}, every
 * node's chain in one table; queries and {@code LookupEvents} read all of them.
 */
public final class NodeAudit {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAudit.class);

    /** The purpose the audit signing key is stored under in {@code node_keys}. */
    public static final String KEY_PURPOSE = "audit-signing";
    /** The audit table's name within the store's schema, in cluster mode. */
    public static final String TABLE = "audit_records";

    private NodeAudit() {}

    /** This node's id (see the class comment), writing {@code <dataDir>/node-id} on a first start. */
    public static String nodeId(ServerConfig config) throws IOException {
        if (config.nodeId() != null) {
            return config.nodeId();
        }
        Path file = config.dataDir().resolve("node-id");
        if (Files.exists(file)) {
            String id = Files.readString(file).strip();
            if (!id.matches(ServerConfig.NODE_ID)) {
                throw new IOException(file + " must hold a node id of 1-64 characters of A-Z a-z 0-9 . _ -");
            }
            return id;
        }
        String host = System.getenv().getOrDefault("HOSTNAME", "node");
        String id = host + "-" + config.port();
        if (config.cluster()) {
            // Nodes of one cluster share the audit table and node_keys: two first starts on one host and port
            // (port 0, or containers with one hostname) must not take one id, so a cluster node's chosen id
            // gets a random suffix. (Embedded nodes keep host-port, the id earlier releases used.)
            id = id + "-" + Long.toHexString(new java.security.SecureRandom().nextLong() & 0xffffffL | 0x1000000L).substring(1);
        }
        id = id.replaceAll("[^A-Za-z0-9._-]", "-");
        if (id.length() > 64) {
            id = id.substring(id.length() - 64);
        }
        Files.createDirectories(config.dataDir());
        Path tmp = file.resolveSibling("node-id.tmp");
        Files.writeString(tmp, id + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    /** The audit table in cluster mode: {@code <store-schema>.audit_records}. */
    public static String table(ServerConfig config) {
        return config.storeSchema() + "." + TABLE;
    }

    /**
     * The node's signing key from the keyring, created on its first start; a legacy key file in the
     * data directory is imported first (and then deleted).
     */
    public static AuditSigningKey signingKey(NodeKeys keys, String nodeId, Path dataDir) throws IOException {
        Path legacy = AuditSigningKey.legacyFile(dataDir);
        if (Files.exists(legacy)) {
            importLegacy(keys, nodeId, legacy);
        }
        return signingKey(keys, nodeId);
    }

    /** The signing key of {@code nodeId} from the keyring, created when it has none; no legacy file is read. */
    public static AuditSigningKey signingKey(NodeKeys keys, String nodeId) {
        Secret sealed = keys.loadOrCreate(nodeId, KEY_PURPOSE,
                () -> Base64.getEncoder().encodeToString(AuditSigningKey.generatePkcs8()).toCharArray());
        return open(sealed);
    }

    /** Every node's audit public key held in the keyring, by node id (for {@code audit public-key --all} and {@code verify}). */
    public static Map<String, PublicKey> publicKeys(NodeKeys keys) {
        Map<String, PublicKey> out = new LinkedHashMap<>();
        for (String node : keys.nodes(KEY_PURPOSE)) {
            keys.find(node, KEY_PURPOSE).ifPresent(s -> out.put(node, open(s).publicKey()));
        }
        return out;
    }

    private static void importLegacy(NodeKeys keys, String nodeId, Path legacy) throws IOException {
        byte[] der = AuditSigningKey.readLegacyFile(legacy);
        String legacyId = AuditSigningKey.fromPkcs8(der).keyId();
        char[] encoded = Base64.getEncoder().encodeToString(der).toCharArray();
        Arrays.fill(der, (byte) 0);
        try {
            keys.addIfAbsent(nodeId, KEY_PURPOSE, encoded);
        } finally {
            Arrays.fill(encoded, '\0');
        }
        AuditSigningKey held = open(keys.find(nodeId, KEY_PURPOSE).orElseThrow());
        if (held.keyId().equals(legacyId)) {
            Files.delete(legacy);
            LOG.info("audit signing key {} of node {} imported into the keyring from {}, which was deleted",
                    legacyId, nodeId, legacy);
        } else {
            Path aside = legacy.resolveSibling(legacy.getFileName() + ".not-imported");
            Files.move(legacy, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("the keyring already holds audit signing key {} for node {}; the key file {} (key {}) was not"
                    + " imported and was moved to {}: digests it signed verify only with its own public key",
                    held.keyId(), nodeId, legacy, legacyId, aside);
        }
    }

    private static AuditSigningKey open(Secret sealed) {
        char[] chars = sealed.reveal();
        ByteBuffer ascii = StandardCharsets.US_ASCII.encode(CharBuffer.wrap(chars));
        byte[] b64 = new byte[ascii.remaining()];
        ascii.get(b64);
        Arrays.fill(chars, '\0');
        byte[] der = Base64.getDecoder().decode(b64);
        Arrays.fill(b64, (byte) 0);
        try {
            return AuditSigningKey.fromPkcs8(der);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /**
     * The node keys of the store {@code config} names, opened with its keyring (created when absent,
     * as on a node's first start), for tools that run beside the node ({@code portcullis audit
     * public-key}, {@code verify}). Close it when done.
     */
    public static KeyStore openKeys(ServerConfig config) {
        Keyring keyring = Keyring.loadOrCreate(config.effectiveKeyringFile());
        Store store = config.cluster() ? PostgresStore.open(config.effectiveStoreUrl(), config.storeSchema(), 2)
                : SqliteStore.open(StateConfig.sqlite(config.dataDir()).sqliteFile());
        return new KeyStore(new NodeKeys(store, keyring), store);
    }

    /** Node keys and the store they live in. */
    public record KeyStore(NodeKeys keys, Store store) implements AutoCloseable {
        @Override
        public void close() {
            store.close();
        }
    }

    /**
     * The JSON-lines mirrors {@code audit-export} names: {@code stdout}, or a file appended to. Each line is
     * the stored record (event, node, sequence, hashes), so a shipped copy verifies too.
     */
    public static List<JsonLinesExport> exports(ServerConfig config) throws IOException {
        if (config.auditExport() == null) {
            return List.of();
        }
        if (config.auditExport().equals("stdout")) {
            return List.of(JsonLinesExport.stdout());
        }
        Path file = Path.of(config.auditExport());
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return List.of(JsonLinesExport.file(file));
    }

    /** The node's sink: the PostgreSQL table in cluster mode, segment files in the data directory otherwise. */
    public static AuditSink sink(ServerConfig config, AuditConfig audit) {
        if (config.cluster()) {
            return PostgresSink.connect(config.effectiveStoreUrl(), table(config));
        }
        return new SegmentFileSink(SegmentFileSink.directoryIn(config.dataDir()), audit.segmentMaxBytes(),
                audit.segmentMaxAge());
    }

    /** A reader of every node's chain in the sink {@link #sink} writes; close it (it may own a connection pool). */
    public static Reader log(ServerConfig config) {
        if (config.cluster()) {
            PostgresLog log = PostgresLog.connect(config.effectiveStoreUrl(), table(config));
            return new Reader(log, log);
        }
        return new Reader(new SegmentFiles(SegmentFileSink.directoryIn(config.dataDir())), null);
    }

    /** An audit log and what to close with it. */
    public record Reader(AuditLog log, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    LOG.warn("audit reader did not close cleanly: {}", e.toString());
                }
            }
        }
    }
}
