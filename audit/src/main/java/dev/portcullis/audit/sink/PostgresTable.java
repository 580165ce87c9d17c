package dev.portcullis.audit.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit table: one row per record, the record's exact canonical text in {@code record}
 * ({@code text}, not {@code jsonb}, which would reorder keys and break hashes), plus copies of
 * the fields queries filter on. The primary key {@code (node_id, seq)} keeps one chain per node.
 * {@code principals} holds every identifier {@code AuditQuery}'s principal criterion matches (ARN,
 * principal id, access key id, session issuer ARN). Indexes serve queries without a scan: events
 * by {@code (event_time, node_id, seq)} (the query order, so keyset pages are index range scans),
 * by request id, correlation id and event name, principals (GIN; plus a partial index on the rows
 * without principals, empty except in tables written by earlier releases), and digests by time
 * (the verifier's anchor).
 *
 * <p>A new table gets its indexes in the transaction that creates it. An index missing from an
 * existing table (an upgrade) or left invalid by an interrupted build is built with
 * {@code CREATE INDEX CONCURRENTLY}, so the other nodes keep writing while it builds, by one node
 * at a time: see {@link #create}.
 */
final class PostgresTable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresTable.class);

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?");

    /** PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1); index names are looked up as stored. */
    private static final int MAX_IDENTIFIER = 63;

    /** How long a node waits for another node's index build before giving up its start. */
    static final Duration INDEX_BUILD_WAIT = Duration.ofHours(1);

    /** Matches pg_namespace {@code n} to the table's schema (one parameter: {@link #schema()}). */
    private static final String IN_SCHEMA = "n.nspname = COALESCE(?::text, current_schema()::text)";

    private static final long FIRST_PAUSE_MILLIS = 50;
    private static final long MAX_PAUSE_MILLIS = 1_000;
    private static final long WAIT_LOG_MILLIS = 60_000;

    private record Index(String suffix, String definition) {}

    private static final List<Index> INDEXES = List.of(
            new Index("events_by_time", "(event_time, node_id, seq) WHERE kind = 'event'"),
            new Index("request_id", "(request_id) WHERE request_id IS NOT NULL"),
            new Index("correlation_id", "(correlation_id) WHERE correlation_id IS NOT NULL"),
            new Index("event_name", "(event_name, event_time)"),
            new Index("principals", "USING gin (principals)"),
            // Empty unless rows predate the principals column; lets a principal query OR them in from an index.
            new Index("no_principals", "(event_time) WHERE principals IS NULL AND kind = 'event'"),
            new Index("digests", "(node_id, record_time) WHERE kind = 'digest'"));

    final String name;
    private final Duration indexBuildWait;

    PostgresTable(String name) {
        this(name, INDEX_BUILD_WAIT);
    }

    PostgresTable(String name, Duration indexBuildWait) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("audit table must be [schema.]table in lower-case letters, digits and _");
        }
        this.name = name;
        this.indexBuildWait = indexBuildWait;
    }

    /**
     * Creates the table when missing (nodes starting together serialize on a transaction-level
     * advisory lock), then makes sure every index exists and is valid. When they all are (every
     * start but the first after an upgrade) that is one catalog query, with no lock taken.
     */
    void create(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        try {
            if (createTable(c)) {
                return;
            }
            c.setAutoCommit(true); // CREATE INDEX CONCURRENTLY runs outside any transaction
            if (!indexesToBuild(c).isEmpty()) {
                buildIndexes(c);
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Short DDL in one transaction; true when the table is new and got its indexes here. */
    private boolean createTable(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(hashtext('portcullis-audit-table:" + name + "'))");
            boolean fresh = !exists(c, "SELECT EXISTS (SELECT 1 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace"
                    + " WHERE " + IN_SCHEMA + " AND t.relname = ?)", schema(), tableName());
            int dot = name.indexOf('.');
            if (dot > 0) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + name.substring(0, dot));
            }
            s.execute("CREATE TABLE IF NOT EXISTS " + name + " ("
                    + "node_id text NOT NULL, seq bigint NOT NULL, kind text NOT NULL, "
                    + "record_time timestamptz NOT NULL, event_time timestamptz, event_name text, "
                    + "principal_arn text, outcome text, error_code text, request_id text, correlation_id text, "
                    + "principals text[], record text NOT NULL, PRIMARY KEY (node_id, seq))");
            // Tables created before principals existed: their rows keep a null there (queries fall back).
            // Only when missing: ALTER TABLE takes an exclusive lock even when there is nothing to add, and
            // queued behind another node's CREATE INDEX CONCURRENTLY it would stop every writer.
            if (!exists(c, "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = ?::regclass"
                    + " AND attname = 'principals' AND NOT attisdropped)", name)) {
                s.execute("ALTER TABLE " + name + " ADD COLUMN IF NOT EXISTS principals text[]");
            }
            if (fresh) {
                // An empty table nobody else can see yet: a plain build is instant and commits with it.
                for (Index index : INDEXES) {
                    s.execute(createIndex(index, ""));
                }
            }
            c.commit();
            return fresh;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    /**
     * Builds the missing or invalid indexes concurrently, holding a session-level advisory lock so
     * that one node builds at a time. The lock is tried, never waited for inside PostgreSQL: a
     * session blocked in {@code pg_advisory_lock} holds a snapshot, and the holder's
     * {@code CREATE INDEX CONCURRENTLY} waits for every older snapshot to go away (a deadlock).
     */
    private void buildIndexes(Connection c) throws SQLException {
        try (BuildLock lock = BuildLock.acquire(c, this)) {
            Map<Index, Boolean> todo = indexesToBuild(c); // again: another node may have built them meanwhile
            try (Statement s = c.createStatement()) {
                for (Map.Entry<Index, Boolean> e : todo.entrySet()) {
                    String index = indexName(e.getKey());
                    if (e.getValue()) {
                        LOG.info("Dropping the invalid index {} of audit table {} left by an interrupted build", index, name);
                        s.execute("DROP INDEX CONCURRENTLY IF EXISTS " + schemaPrefix() + index);
                    }
                    LOG.info("Building index {} of audit table {} concurrently (other nodes keep writing)", index, name);
                    long started = System.nanoTime();
                    s.execute(createIndex(e.getKey(), "CONCURRENTLY "));
                    LOG.info("Built index {} in {} ms", index, (System.nanoTime() - started) / 1_000_000);
                }
            }
            Map<Index, Boolean> left = indexesToBuild(c);
            if (!left.isEmpty()) {
                LOG.warn("Audit table {}: indexes {} still missing or invalid after the build (is another relation"
                        + " using the name?)", name, left.keySet().stream().map(this::indexName).toList());
            }
        }
    }

    /** The indexes to build, each with true when an invalid one of that name must be dropped first. */
    private Map<Index, Boolean> indexesToBuild(Connection c) throws SQLException {
        Map<String, Boolean> valid = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.relname, i.indisvalid AND i.indisready"
                + " FROM pg_index i JOIN pg_class t ON t.oid = i.indexrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE " + IN_SCHEMA + " AND t.relname = ANY (?)")) {
            ps.setString(1, schema());
            ps.setArray(2, c.createArrayOf("text", indexNames().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    valid.put(rs.getString(1), rs.getBoolean(2));
                }
            }
        }
        Map<Index, Boolean> todo = new LinkedHashMap<>();
        for (Index index : INDEXES) {
            Boolean v = valid.get(indexName(index));
            if (v == null || !v) {
                todo.put(index, v != null);
            }
        }
        return todo;
    }

    /** The indexes' names as PostgreSQL stores them. */
    List<String> indexNames() {
        List<String> names = new ArrayList<>();
        for (Index index : INDEXES) {
            names.add(indexName(index));
        }
        return names;
    }

    /** The key of the session-level lock held while building indexes (hashed with {@code hashtext}). */
    String indexBuildLockKey() {
        return "portcullis-audit-indexes:" + name;
    }

    private String indexName(Index index) {
        String full = name.replace('.', '_') + "_" + index.suffix();
        return full.length() > MAX_IDENTIFIER ? full.substring(0, MAX_IDENTIFIER) : full;
    }

    private String createIndex(Index index, String concurrently) {
        return "CREATE INDEX " + concurrently + "IF NOT EXISTS " + indexName(index) + " ON " + name + " "
                + index.definition();
    }

    private String schemaPrefix() {
        return schema() == null ? "" : schema() + ".";
    }

    /** The schema named in the table's name, or null: then the current schema, where CREATE TABLE put it. */
    private String schema() {
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : null;
    }

    private String tableName() {
        return name.substring(name.indexOf('.') + 1);
    }

    private static boolean exists(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The session-level index-build lock, taken by polling {@code pg_try_advisory_lock} (see {@link #buildIndexes}). */
    private static final class BuildLock implements AutoCloseable {

        private final Connection c;
        private final String key;

        private BuildLock(Connection c, String key) {
            this.c = c;
            this.key = key;
        }

        static BuildLock acquire(Connection c, PostgresTable table) throws SQLException {
            String key = table.indexBuildLockKey();
            long started = System.nanoTime();
            long pause = FIRST_PAUSE_MILLIS;
            long lastLog = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
                ps.setString(1, key);
                while (true) {
                    // each try is its own statement: between tries this session holds no snapshot
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getBoolean(1)) {
                            return new BuildLock(c, key);
                        }
                    }
                    long waited = (System.nanoTime() - started) / 1_000_000;
                    if (waited >= table.indexBuildWait.toMillis()) {
                        throw new SQLException("another node has been building the indexes of audit table " + table.name
                                + " for over " + table.indexBuildWait.toSeconds() + " s (pg_stat_progress_create_index"
                                + " shows its progress); start this node again when it has finished");
                    }
                    if (lastLog == 0 || waited - lastLog >= WAIT_LOG_MILLIS) {
                        LOG.info("Waiting for another node's index build on audit table {} ({} s so far, giving up after {} s)",
                                table.name, waited / 1000, table.indexBuildWait.toSeconds());
                        lastLog = Math.max(waited, 1);
                    }
                    sleep(Math.min(pause, Math.max(1, table.indexBuildWait.toMillis() - waited)));
                    pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
                }
            }
        }

        private static void sleep(long millis) throws SQLException {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for another node's index build", e);
            }
        }

        @Override
        public void close() throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                ps.setString(1, key);
                ps.execute();
            }
        }
    }
}
