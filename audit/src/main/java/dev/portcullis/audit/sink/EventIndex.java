package dev.portcullis.audit.sink;

import java.time.Instant;
import java.util.List;

/**
 * Event selection pushed down to a log with indexes: the log filters, orders by
 * {@code (event time, node id, sequence number)} and pages, so a query reads only what it returns.
 * Every criterion is matched exactly as {@code AuditQuery} does or more loosely (a superset, never
 * fewer events); callers re-check what they get.
 */
public interface EventIndex {

    /**
     * Up to {@code limit} event lines matching {@code criteria}, strictly after {@code after} (or
     * before it when {@code newestFirst}; from the start when null), in event-time order (newest
     * first when asked).
     */
    List<IndexedEvent> find(Criteria criteria, Cursor after, boolean newestFirst, int limit) throws AuditSinkException;

    /**
     * What to match; null fields match anything. {@code from} is inclusive and {@code to} exclusive,
     * on the event time; {@code principal} is an ARN, principal id, access key id or session issuer
     * ARN; {@code outcome} a decision outcome name.
     */
    record Criteria(Instant from, Instant to, String principal, String eventName, String outcome, String errorCode,
            String requestId, String correlationId) {}

    /** A position in event-time order. */
    record Cursor(Instant eventTime, String nodeId, long seq) {}

    /** An event line found, with the event time, node and sequence number it is indexed under. */
    record IndexedEvent(Instant eventTime, String nodeId, long seq, StoredLine line) {}
}
