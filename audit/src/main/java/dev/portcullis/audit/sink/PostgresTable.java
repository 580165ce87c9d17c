package dev.portcullis.audit.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The audit table: one row per record, the record's exact canonical text in {@code record}
 * ({@code text}, not {@code jsonb}, which would reorder keys and break hashes), plus copies of
 * the fields queries filter on. The primary key {@code (node_id, seq)} keeps one chain per node.
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

    void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            int dot = name.indexOf('.');
            if (dot > 0) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + name.substring(0, dot));
            }
            s.execute("CREATE TABLE IF NOT EXISTS " + name + " ("
                    + "node_id text NOT NULL, seq bigint NOT NULL, kind text NOT NULL, "
                    + "record_time timestamptz NOT NULL, event_time timestamptz, event_name text, "
                    + "principal_arn text, outcome text, error_code text, request_id text, correlation_id text, "
                    + "record text NOT NULL, PRIMARY KEY (node_id, seq))");
            String index = name.replace('.', '_');
            s.execute("CREATE INDEX IF NOT EXISTS " + index + "_event_time ON " + name + " (event_time)");
        }
    }
}
