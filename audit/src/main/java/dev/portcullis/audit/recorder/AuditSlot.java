package dev.portcullis.audit.recorder;

import dev.portcullis.audit.event.AuditEvent;

/**
 * A place reserved in the audit queue for one request's event. Record exactly one event into it
 * (normally in a {@code finally} once the response is known); closing an unused slot gives the
 * place back and logs a warning, since every admitted request must leave an event. Recording
 * never fails and never blocks: the place was reserved on admission.
 */
public interface AuditSlot extends AutoCloseable {

    /** @throws IllegalStateException when the slot was already used or closed */
    void record(AuditEvent event);

    @Override
    void close();
}
