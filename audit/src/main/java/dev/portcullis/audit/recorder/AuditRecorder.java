package dev.portcullis.audit.recorder;

import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.sink.AuditSink;
import dev.portcullis.audit.sink.AuditSinkException;
import dev.portcullis.audit.sink.JsonLinesExport;
import java.util.List;

/**
 * The audit trail as the request pipeline sees it. For each request: {@link #reserve} on arrival
 * (a refusal means answer 503 {@code ServiceUnavailable} and do nothing else), then
 * {@link AuditSlot#record} the event once the outcome is known. State changes are recorded the
 * same way, before the change is acknowledged. Both calls return in microseconds: chaining,
 * signing and I/O happen on the recorder's own writer thread. Thread-safe.
 */
public interface AuditRecorder extends AutoCloseable {

    /**
     * Reserves a place for one event, or refuses per {@code policy}.
     *
     * @throws AuditUnavailableException the request must be refused with 503
     */
    AuditSlot reserve(OverflowPolicy policy) throws AuditUnavailableException;

    /**
     * Reserves a place for one event of a request to {@code endpoint}, or refuses per the policy configured
     * for that endpoint ({@link #policyFor}).
     *
     * @throws AuditUnavailableException the request must be refused with 503
     */
    default AuditSlot reserve(OverflowPolicy.Endpoint endpoint) throws AuditUnavailableException {
        return reserve(policyFor(endpoint));
    }

    /** The overflow policy configured for {@code endpoint} (by default {@link OverflowPolicy#defaultFor}). */
    default OverflowPolicy policyFor(OverflowPolicy.Endpoint endpoint) {
        return OverflowPolicy.defaultFor(endpoint);
    }

    /** Reserves and records in one step (for events whose outcome is known at once). */
    default void record(AuditEvent event, OverflowPolicy policy) throws AuditUnavailableException {
        try (AuditSlot slot = reserve(policy)) {
            slot.record(event);
        }
    }

    AuditHealth health();

    /**
     * Stops admitting, waits (up to the configured close timeout) for reserved events, writes
     * them and a final digest, and closes the sink.
     */
    @Override
    void close();

    /**
     * Opens the sink, continues the node's chain (writing a restart marker when it already had
     * records) and starts the writer thread.
     *
     * @throws AuditSinkException when the sink cannot be opened: the node must not serve unaudited
     */
    static AuditRecorder start(AuditConfig config, AuditSink sink, AuditSigningKey key, List<JsonLinesExport> exports)
            throws AuditSinkException {
        return ChainWriter.start(config, sink, key, exports);
    }

    static AuditRecorder start(AuditConfig config, AuditSink sink, AuditSigningKey key) throws AuditSinkException {
        return start(config, sink, key, List.of());
    }

    /** A recorder that admits everything and records nothing (audit switched off; benchmarks). */
    static AuditRecorder disabled() {
        return DisabledRecorder.INSTANCE;
    }
}
