package dev.portcullis.audit.sink;

import java.time.Instant;
import java.util.List;
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

    /** Receives stored lines; returns false to stop. */
    @FunctionalInterface
    interface LineVisitor {
        boolean visit(StoredLine line);
    }
}
