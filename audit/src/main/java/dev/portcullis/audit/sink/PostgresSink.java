package dev.portcullis.audit.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.ChainTail;
import dev.portcullis.audit.chain.Digest;
import dev.portcullis.audit.chain.MalformedRecordException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Cluster-mode sink: a PostgreSQL table holding one chain per node ({@link PostgresTable}). Each
 * batch is one transaction, so a failed batch stores nothing and a committed one is durable.
 * Owned by the recorder's writer thread; the {@link DataSource} may be shared.
 */
public final class PostgresSink implements AuditSink {

    private final DataSource dataSource;
    private final PostgresTable table;
    private final AutoCloseable ownedPool;
    private String nodeId;

    public PostgresSink(DataSource dataSource, String table) {
        this(dataSource, new PostgresTable(table), null);
    }

    private PostgresSink(DataSource dataSource, PostgresTable table, AutoCloseable ownedPool) {
        this.dataSource = dataSource;
        this.table = table;
        this.ownedPool = ownedPool;
    }

    /** A sink with its own small connection pool, closed with the sink. */
    public static PostgresSink connect(String jdbcUrl, String table) {
        HikariDataSource pool = pool(jdbcUrl, "portcullis-audit-writer");
        return new PostgresSink(pool, new PostgresTable(table), pool);
    }

    static HikariDataSource pool(String jdbcUrl, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setPoolName(name);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** A reader over the same table. */
    public AuditLog log() {
        return new PostgresLog(dataSource, table);
    }

    @Override
    public String describe() {
        return "audit table " + table.name;
    }

    @Override
    public ChainTail open(String nodeId) throws AuditSinkException {
        Segments.requireValidNodeId(nodeId);
        this.nodeId = nodeId;
        try (Connection c = dataSource.getConnection()) {
            table.create(c);
            Optional<ChainRecord> last = one(c, "SELECT record FROM " + table.name
                    + " WHERE node_id = ? ORDER BY seq DESC LIMIT 1", nodeId, 0);
            Optional<ChainRecord> digestRecord = one(c, "SELECT record FROM " + table.name
                    + " WHERE node_id = ? AND kind = 'digest' ORDER BY seq DESC LIMIT 1", nodeId, 0);
            long after = digestRecord.map(ChainRecord::seq).orElse(0L);
            Optional<ChainRecord> firstUndigested = one(c, "SELECT record FROM " + table.name
                    + " WHERE node_id = ? AND seq > ? ORDER BY seq LIMIT 1", nodeId, after);
            Optional<Digest> lastDigest = digestRecord.isEmpty() ? Optional.empty() : Optional.of(Digest.of(digestRecord.get()));
            return new ChainTail(last, lastDigest, firstUndigested.map(ChainRecord::time), 0);
        } catch (SQLException e) {
            throw new AuditSinkException("cannot open " + describe() + ": " + e.getMessage(), e);
        } catch (MalformedRecordException e) {
            throw new AuditSinkException("cannot continue the chain in " + describe() + ": " + e.getMessage()
                    + " (run portcullis audit verify)");
        }
    }

    @Override
    public void append(List<ChainRecord> records, boolean durable) throws AuditSinkException {
        if (records.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.name
                    + " (node_id, seq, kind, record_time, event_time, event_name, principal_arn, outcome, error_code,"
                    + " request_id, correlation_id, principals, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (ChainRecord r : records) {
                    bind(c, ps, r);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new AuditSinkException("cannot write " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws AuditSinkException {
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                throw new AuditSinkException("cannot close " + describe() + ": " + e.getMessage(), e);
            }
        }
    }

    private void bind(Connection c, PreparedStatement ps, ChainRecord r) throws SQLException {
        ps.setString(1, nodeId);
        ps.setLong(2, r.seq());
        ps.setString(3, r.kind().name());
        ps.setTimestamp(4, Timestamp.from(r.time()));
        JsonNode e = r.kind() == ChainRecord.Kind.event ? r.body() : null;
        ps.setTimestamp(5, e == null ? null : timestamp(e.path("eventTime").asText(null)));
        ps.setString(6, e == null ? null : e.path("eventName").asText(null));
        ps.setString(7, e == null ? null : e.path("userIdentity").path("arn").asText(null));
        ps.setString(8, e == null ? null : e.path("decision").path("outcome").asText(null));
        ps.setString(9, e == null ? null : e.path("errorCode").asText(null));
        ps.setString(10, e == null ? null : e.path("requestID").asText(null));
        ps.setString(11, e == null ? null : e.path("correlationId").asText(null));
        ps.setArray(12, e == null ? null : c.createArrayOf("text", principals(e)));
        ps.setString(13, r.line());
    }

    /** Every identifier the query's principal criterion matches (see {@code AuditQuery}). */
    private static Object[] principals(JsonNode e) {
        JsonNode u = e.path("userIdentity");
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        for (JsonNode n : new JsonNode[] {u.path("arn"), u.path("principalId"), u.path("accessKeyId"),
                u.path("sessionContext").path("sessionIssuer").path("arn")}) {
            if (n.isTextual()) {
                ids.add(n.asText());
            }
        }
        return ids.toArray();
    }

    private static Timestamp timestamp(String iso) {
        return iso == null ? null : Timestamp.from(Instant.parse(iso));
    }

    private static Optional<ChainRecord> one(Connection c, String sql, String nodeId, long seq)
            throws SQLException, MalformedRecordException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, nodeId);
            if (sql.contains("seq > ?")) {
                ps.setLong(2, seq);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(ChainRecord.parse(rs.getString(1))) : Optional.empty();
            }
        }
    }
}
