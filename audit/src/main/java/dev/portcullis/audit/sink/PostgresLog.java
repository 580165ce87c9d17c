package dev.portcullis.audit.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

/** Reads the audit table of {@link PostgresSink}, streaming rows in sequence order. Thread-safe. */
public final class PostgresLog implements AuditLog, AutoCloseable {

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
                PreparedStatement ps = c.prepareStatement("SELECT DISTINCT node_id FROM " + table.name + " ORDER BY 1");
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
