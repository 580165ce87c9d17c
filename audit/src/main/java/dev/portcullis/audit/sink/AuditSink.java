package dev.portcullis.audit.sink;

import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.ChainTail;
import java.util.List;

/**
 * Stores one node's chain. Called only from the recorder's writer thread, in this order:
 * {@link #open} once, then {@link #append} any number of times, then {@link #close}.
 * A failed {@code append} stores nothing of the batch (a partial write is rolled back), so the
 * writer retries the same batch until it succeeds: records are never dropped or duplicated.
 */
public interface AuditSink extends AutoCloseable {

    /** Opens the node's chain for appending, repairing an incomplete last record a crash left, and says where it ends. */
    ChainTail open(String nodeId) throws AuditSinkException;

    /**
     * Appends records in chain order.
     *
     * @param durable force them to stable storage before returning (the writer asks at each digest)
     */
    void append(List<ChainRecord> records, boolean durable) throws AuditSinkException;

    /** A short description for messages ({@code segments in /var/lib/portcullis/audit}). */
    String describe();

    @Override
    void close() throws AuditSinkException;
}
