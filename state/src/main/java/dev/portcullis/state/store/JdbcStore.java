package dev.portcullis.state.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.portcullis.state.jobs.JdbcJobQueue;
import dev.portcullis.state.jobs.JobQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL both backends share; subclasses say how to recognise a lost sequence race. */
abstract class JdbcStore implements Store {
    final HikariDataSource data;
    private final JobQueue jobs;

    JdbcStore(HikariDataSource data, boolean skipLocked) {
        this.data = data;
        this.jobs = new JdbcJobQueue(data, skipLocked);
    }

    /** True when {@code e} is the unique-constraint violation of a sequence taken by another writer. */
    abstract boolean isDuplicateKey(SQLException e);

    /** Runs inside the append transaction, after the insert (PostgreSQL sends its NOTIFY here). */
    void afterInsert(Connection c, long sequence) throws SQLException {
    }

    @Override
    public void append(long sequence, String changeType, String payload, String actor) throws SequenceConflictException {
        try (Connection c = data.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO change_log (seq, change_type, payload, actor, recorded_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setLong(1, sequence);
                s.setString(2, changeType);
                s.setString(3, payload);
                s.setString(4, actor);
                s.setLong(5, System.currentTimeMillis());
                s.executeUpdate();
                afterInsert(c, sequence);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (isDuplicateKey(e)) {
                    throw new SequenceConflictException(sequence);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot append to the change log in " + location() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<LogEntry> readAfter(long afterSequence, int limit) {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT seq, change_type, payload, actor, recorded_at FROM change_log "
                     + "WHERE seq > ? ORDER BY seq LIMIT ?")) {
            s.setLong(1, afterSequence);
            s.setInt(2, limit);
            List<LogEntry> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new LogEntry(r.getLong(1), r.getString(2), r.getString(3),
                            Optional.ofNullable(r.getString(4)), Instant.ofEpochMilli(r.getLong(5))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the change log in " + location() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long lastSequence() {
        try (Connection c = data.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM change_log")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("cannot read the change log in " + location() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void saveSnapshot(StoredSnapshot snapshot) {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "INSERT INTO snapshots (seq, format, data, created_at) VALUES (?, ?, ?, ?)")) {
            s.setLong(1, snapshot.sequence());
            s.setInt(2, snapshot.format());
            s.setBytes(3, snapshot.data());
            s.setLong(4, System.currentTimeMillis());
            s.executeUpdate();
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return; // another node saved the same sequence: same content by construction
            }
            throw new StoreException("cannot save a snapshot in " + location() + ": " + e.getMessage(), e);
        }
        pruneSnapshots(snapshot.sequence());
    }

    /** Keeps the two newest snapshots. */
    private void pruneSnapshots(long newest) {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM snapshots WHERE seq < (SELECT MIN(seq) FROM "
                     + "(SELECT seq FROM snapshots ORDER BY seq DESC LIMIT 2) AS recent)")) {
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot prune snapshots in " + location() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredSnapshot> latestSnapshot() {
        try (Connection c = data.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT seq, format, data FROM snapshots ORDER BY seq DESC LIMIT 1")) {
            return r.next() ? Optional.of(new StoredSnapshot(r.getLong(1), r.getInt(2), r.getBytes(3)))
                    : Optional.empty();
        } catch (SQLException e) {
            throw new StoreException("cannot read snapshots in " + location() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<NodeKey> nodeKey(String nodeId, String purpose) {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT node_id, purpose, sealed_key_id, ciphertext, created_at"
                     + " FROM node_keys WHERE node_id = ? AND purpose = ?")) {
            s.setString(1, nodeId);
            s.setString(2, purpose);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(nodeKey(r)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read node keys in " + location() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<NodeKey> nodeKeys(String purpose) {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT node_id, purpose, sealed_key_id, ciphertext, created_at"
                     + " FROM node_keys WHERE ? IS NULL OR purpose = ? ORDER BY node_id, purpose")) {
            s.setString(1, purpose);
            s.setString(2, purpose);
            List<NodeKey> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(nodeKey(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read node keys in " + location() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean addNodeKey(NodeKey key) {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO node_keys (node_id, purpose, sealed_key_id,"
                     + " ciphertext, created_at) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, key.nodeId());
            s.setString(2, key.purpose());
            s.setString(3, key.sealed().keyId());
            s.setString(4, key.sealed().ciphertext());
            s.setLong(5, key.createdAt().toEpochMilli());
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw new StoreException("cannot store a node key in " + location() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void resealNodeKey(NodeKey key) {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE node_keys SET sealed_key_id = ?, ciphertext = ?"
                     + " WHERE node_id = ? AND purpose = ?")) {
            s.setString(1, key.sealed().keyId());
            s.setString(2, key.sealed().ciphertext());
            s.setString(3, key.nodeId());
            s.setString(4, key.purpose());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot reseal a node key in " + location() + ": " + e.getMessage(), e);
        }
    }

    private static NodeKey nodeKey(ResultSet r) throws SQLException {
        return new NodeKey(r.getString(1), r.getString(2),
                new dev.portcullis.state.model.SealedSecret(r.getString(3), r.getString(4)),
                Instant.ofEpochMilli(r.getLong(5)));
    }

    @Override
    public JobQueue jobs() {
        return jobs;
    }

    @Override
    public void close() {
        data.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + location() + "]";
    }
}
