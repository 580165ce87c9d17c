package dev.portcullis.audit.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Reads the audit table of {@link PostgresSink}: every node's chain, streamed in sequence order,
 * and an {@link EventIndex} that filters, orders and pages events in SQL on the table's indexes.
 * Thread-safe.
 */
public final class PostgresLog implements AuditLog, EventIndex, AutoCloseable {

    private final DataSource dataSource;
    private final PostgresTable table;
    private final AutoCloseable ownedPool;

    PostgresLog(DataSource dataSource, PostgresTable table) {
        this(dataSource, table, null);
    }

    private PostgresLog(DataSource dataSource, PostgresTable table, AutoCloseable ownedPool) {
        this.dataSource = dataSource;
        this.table = table;
        this.ownedPool = ownedPool;
    }

    public PostgresLog(DataSource dataSource, String table) {
        this(dataSource, new PostgresTable(table), null);
    }

    /** A reader with its own small pool, closed with it. */
    public static PostgresLog connect(String jdbcUrl, String table) {
        var pool = PostgresSink.pool(jdbcUrl, "portcullis-audit-reader");
        return new PostgresLog(pool, new PostgresTable(table), pool);
    }

    @Override
    public List<String> nodes() throws AuditSinkException {
        List<String> nodes = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        // a skip scan over the primary key: one index probe per node, not a pass over every row
                        "WITH RECURSIVE n AS (SELECT min(node_id) AS id FROM " + table.name
                        + " UNION ALL SELECT (SELECT min(node_id) FROM " + table.name + " WHERE node_id > n.id) FROM n"
                        + " WHERE n.id IS NOT NULL) SELECT id FROM n WHERE id IS NOT NULL ORDER BY 1");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                nodes.add(rs.getString(1));
            }
            return nodes;
        } catch (SQLException e) {
            throw new AuditSinkException("cannot read audit table " + table.name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void scan(String nodeId, long afterSeq, LineVisitor visitor) throws AuditSinkException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // lets the driver stream with a cursor instead of loading every row
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, record FROM " + table.name
                    + " WHERE node_id = ? AND seq > ? ORDER BY seq")) {
                ps.setFetchSize(1000);
                ps.setString(1, nodeId);
                ps.setLong(2, afterSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!visitor.visit(new StoredLine(table.name + " seq=" + rs.getLong(1), rs.getString(2)))) {
                            break;
                        }
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new AuditSinkException("cannot read audit table " + table.name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void scanEvents(String nodeId, Instant from, Instant to, LineVisitor visitor) throws AuditSinkException {
        StringBuilder sql = new StringBuilder("SELECT seq, record FROM ").append(table.name)
                .append(" WHERE node_id = ? AND kind = 'event'");
        List<Object> args = new ArrayList<>(List.of(nodeId));
        if (from != null) {
            sql.append(" AND event_time >= ?");
            args.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND event_time < ?");
            args.add(Timestamp.from(to));
        }
        sql.append(" ORDER BY seq");
        stream(sql.toString(), args, rs -> visitor.visit(new StoredLine(table.name + " seq=" + rs.getLong(1),
                rs.getString(2))));
    }

    @Override
    public long lastSeq(String nodeId) throws AuditSinkException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT max(seq) FROM " + table.name + " WHERE node_id = ?")) {
            ps.setString(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AuditSinkException("cannot read audit table " + table.name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<EventIndex> index() {
        return Optional.of(this);
    }

    @Override
    public List<IndexedEvent> find(Criteria q, Cursor after, boolean newestFirst, int limit) throws AuditSinkException {
        StringBuilder sql = new StringBuilder("SELECT node_id, seq, record, event_time FROM ").append(table.name)
                .append(" WHERE kind = 'event'");
        List<Object> args = new ArrayList<>();
        if (q.from() != null) {
            sql.append(" AND event_time >= ?");
            args.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND event_time < ?");
            args.add(Timestamp.from(q.to()));
        }
        equal(sql, args, "event_name", q.eventName());
        equal(sql, args, "outcome", q.outcome());
        equal(sql, args, "error_code", q.errorCode());
        equal(sql, args, "request_id", q.requestId());
        equal(sql, args, "correlation_id", q.correlationId());
        if (q.principal() != null) {
            // Rows written before the principals column existed fall back to a text match (re-checked by the caller).
            sql.append(" AND (principals @> ARRAY[?]::text[] OR (principals IS NULL AND strpos(record, ?) > 0))");
            args.add(q.principal());
            args.add(q.principal());
        }
        if (after != null) {
            sql.append(newestFirst ? " AND (event_time, node_id, seq) < (?, ?, ?)" : " AND (event_time, node_id, seq) > (?, ?, ?)");
            args.add(Timestamp.from(after.eventTime()));
            args.add(after.nodeId());
            args.add(after.seq());
        }
        String dir = newestFirst ? " DESC" : "";
        sql.append(" ORDER BY event_time").append(dir).append(", node_id").append(dir).append(", seq").append(dir)
                .append(" LIMIT ").append(limit);
        List<IndexedEvent> out = new ArrayList<>();
        stream(sql.toString(), args, rs -> {
            out.add(new IndexedEvent(rs.getTimestamp(4).toInstant(), rs.getString(1), rs.getLong(2),
                    new StoredLine(table.name + " seq=" + rs.getLong(2), rs.getString(3))));
            return true;
        });
        return out;
    }

    private static void equal(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    @FunctionalInterface
    private interface RowVisitor {
        boolean visit(ResultSet rs) throws SQLException;
    }

    /** Runs a query with a cursor (rows streamed, not all loaded), until the visitor returns false. */
    private void stream(String sql, List<Object> args, RowVisitor visitor) throws AuditSinkException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1000);
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!visitor.visit(rs)) {
                            break;
                        }
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new AuditSinkException("cannot read audit table " + table.name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public OptionalLong lastDigestAtOrBefore(String nodeId, Instant time) throws AuditSinkException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT max(seq) FROM " + table.name
                        + " WHERE node_id = ? AND kind = 'digest' AND record_time <= ?")) {
            ps.setString(1, nodeId);
            ps.setTimestamp(2, Timestamp.from(time));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long seq = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(seq);
            }
        } catch (SQLException e) {
            throw new AuditSinkException("cannot read audit table " + table.name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws Exception {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }
}
