package dev.portcullis.state.replay;

import dev.portcullis.state.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The ledger in the store's {@code replay_signatures} table. {@code INSERT … ON CONFLICT DO NOTHING}
 * (PostgreSQL 9.5+, SQLite 3.24+) makes the primary key decide races between nodes in one
 * autocommit statement: the inserter that gets a row count of 1 was first.
 */
public final class JdbcSignatureLedger implements SignatureLedger {

    private final DataSource data;

    public JdbcSignatureLedger(DataSource data) {
        this.data = data;
    }

    @Override
    public boolean firstUse(String key, Instant expiresAt) {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO replay_signatures (signature_key, expires_at) "
                     + "VALUES (?, ?) ON CONFLICT (signature_key) DO NOTHING")) {
            s.setString(1, key);
            s.setLong(2, expiresAt.toEpochMilli());
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("cannot record a signature: " + e.getMessage(), e);
        }
    }

    @Override
    public int purgeExpired(Instant now, int limit) {
        try (Connection c = data.getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM replay_signatures WHERE signature_key IN "
                     + "(SELECT signature_key FROM replay_signatures WHERE expires_at < ? LIMIT ?)")) {
            s.setLong(1, now.toEpochMilli());
            s.setInt(2, limit);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot purge expired signatures: " + e.getMessage(), e);
        }
    }
}
