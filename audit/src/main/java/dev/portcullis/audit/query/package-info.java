/**
 * Reading events back: {@link dev.portcullis.audit.query.AuditSearch} filters stored events by
 * time range, principal, event name, decision, error code, request id or correlation id, one page
 * at a time (keyset pagination by event time, node and sequence, so pages stay stable while new
 * events arrive), and follows new events for {@code portcullis audit tail -f}. It reads any
 * {@link dev.portcullis.audit.sink.AuditLog}; the admin endpoint will call the same class.
 */
package dev.portcullis.audit.query;
