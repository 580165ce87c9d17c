package dev.portcullis.audit.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

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
 */
final class PostgresTable {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?");

    final String name;

    PostgresTable(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("audit table must be [schema.]table in lower-case letters, digits and _");
        }
        this.name = name;
    }

    /** Creates the table and its indexes when missing; nodes starting together serialize on an advisory lock. */
    void create(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(hashtext('portcullis-audit-table:" + name + "'))");
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
            s.execute("ALTER TABLE " + name + " ADD COLUMN IF NOT EXISTS principals text[]");
            String index = name.replace('.', '_');
            s.execute("CREATE INDEX IF NOT EXISTS " + index + "_events_by_time ON " + name
                    + " (event_time, node_id, seq) WHERE kind = 'event'");
            s.execute("CREATE INDEX IF NOT EXISTS " + index + "_request_id ON " + name + " (request_id)"
                    + " WHERE request_id IS NOT NULL");
            s.execute("CREATE INDEX IF NOT EXISTS " + index + "_correlation_id ON " + name + " (correlation_id)"
                    + " WHERE correlation_id IS NOT NULL");
            s.execute("CREATE INDEX IF NOT EXISTS " + index + "_event_name ON " + name + " (event_name, event_time)");
            s.execute("CREATE INDEX IF NOT EXISTS " + index + "_principals ON " + name + " USING gin (principals)");
            // Empty unless rows predate the principals column; lets a principal query OR them in from an index.
            s.execute("CREATE INDEX IF NOT EXISTS " + index + "_no_principals ON " + name
                    + " (event_time) WHERE principals IS NULL AND kind = 'event'");
            s.execute("CREATE INDEX IF NOT EXISTS " + index + "_digests ON " + name
                    + " (node_id, record_time) WHERE kind = 'digest'");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
