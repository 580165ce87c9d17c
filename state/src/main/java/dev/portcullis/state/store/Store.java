package dev.portcullis.state.store;

import dev.portcullis.state.jobs.JobQueue;
import dev.portcullis.state.replay.SignatureLedger;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The durable side of the state: an append-only change log with optimistic concurrency, snapshots
 * of the model, and the job table. Implementations are thread-safe and blocking.
 */
public interface Store extends AutoCloseable {

    /**
     * Appends an entry at {@code sequence}, which must be the last sequence + 1. Fails with {@link
     * SequenceConflictException} when another writer took that sequence first (the unique
     * constraint decides). Returns once the entry is durable. {@code actor} (nullable) is who asked
     * for the change.
     */
    void append(long sequence, String changeType, String payload, String actor) throws SequenceConflictException;

    /** Entries after {@code afterSequence}, in order, at most {@code limit}. */
    List<LogEntry> readAfter(long afterSequence, int limit);

    /** The highest sequence in the log (0 when empty). */
    long lastSequence();

    void saveSnapshot(StoredSnapshot snapshot);

    /** The snapshot with the highest sequence, if any. */
    Optional<StoredSnapshot> latestSnapshot();

    /** The node's sealed key for {@code purpose}, if it has one. */
    Optional<NodeKey> nodeKey(String nodeId, String purpose);

    /** Every node's sealed key for {@code purpose} (every purpose when null), by node id. */
    List<NodeKey> nodeKeys(String purpose);

    /**
     * Stores a node's sealed key unless the node already has one for that purpose (the primary key
     * decides a race); returns whether this call stored it.
     */
    boolean addNodeKey(NodeKey key);

    /** Replaces the sealing of an existing node key (after a keyring rotation); the key itself is unchanged. */
    void resealNodeKey(NodeKey key);

    /** The durable job queue in the same database. */
    JobQueue jobs();

    /** Where the store is, for messages and logs (file path or JDBC URL without credentials). */
    String location();

    /**
     * For backends that push change notifications (PostgreSQL {@code LISTEN/NOTIFY}): the channel
     * and a way to open a dedicated connection. Empty for SQLite (polling only).
     */
    default Optional<NotificationSource> notifications() {
        return Optional.empty();
    }

    /**
     * The signature ledger shared by every node on this store, for cluster-wide replay protection:
     * present for PostgreSQL (several nodes), empty for SQLite (one node; its in-memory guard suffices).
     */
    default Optional<SignatureLedger> sharedSignatures() {
        return Optional.empty();
    }

    @Override
    void close();

    /** A channel to {@code LISTEN} on and a factory of dedicated (unpooled) connections. */
    interface NotificationSource {
        String channel();

        Connection open() throws SQLException;
    }
}
