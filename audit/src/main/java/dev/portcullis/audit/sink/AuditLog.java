package dev.portcullis.audit.sink;

import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.MalformedRecordException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads stored chains back, for the verifier, queries and {@code tail}. Thread-safe. */
public interface AuditLog {

    /** The nodes that have a chain here, sorted. */
    List<String> nodes() throws AuditSinkException;

    /**
     * Visits the node's stored lines in stored order, starting at or before the first record with
     * a sequence number greater than {@code afterSeq} (a reader may also visit some earlier lines;
     * callers skip them by sequence number), until the visitor returns false.
     */
    void scan(String nodeId, long afterSeq, LineVisitor visitor) throws AuditSinkException;

    /** The sequence number of the node's last digest with a time at or before {@code time}, if any. */
    OptionalLong lastDigestAtOrBefore(String nodeId, Instant time) throws AuditSinkException;

    /**
     * Visits, in stored order, at least every event line of the node whose event time is in
     * {@code [from, to)} (open ends when null); it may visit other lines too, which callers filter
     * out. A log that knows where its events lie in time (segment sidecars, an index) skips the
     * rest; this default visits everything.
     */
    default void scanEvents(String nodeId, Instant from, Instant to, LineVisitor visitor) throws AuditSinkException {
        scan(nodeId, 0, visitor);
    }

    /** The sequence number of the node's last stored record, 0 when it has none. This default reads the chain. */
    default long lastSeq(String nodeId) throws AuditSinkException {
        long[] last = {0};
        scan(nodeId, 0, line -> {
            try {
                last[0] = Math.max(last[0], ChainRecord.parse(line.text()).seq());
            } catch (MalformedRecordException e) {
                return false;
            }
            return true;
        });
        return last[0];
    }

    /** An index that selects, orders and pages events itself (the PostgreSQL table), when the log has one. */
    default Optional<EventIndex> index() {
        return Optional.empty();
    }

    /** Receives stored lines; returns false to stop. */
    @FunctionalInterface
    interface LineVisitor {
        boolean visit(StoredLine line);
    }
}
