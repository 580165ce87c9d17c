package dev.portcullis.audit.recorder;

import dev.portcullis.audit.event.AuditEvent;

/** Audit switched off. */
final class DisabledRecorder implements AuditRecorder, AuditSlot {

    static final DisabledRecorder INSTANCE = new DisabledRecorder();

    @Override
    public AuditSlot reserve(OverflowPolicy policy) {
        return this;
    }

    @Override
    public void record(AuditEvent event) {
        // nothing is recorded
    }

    @Override
    public AuditHealth health() {
        return new AuditHealth(true, 0, 0, 0, null);
    }

    @Override
    public void close() {
        // nothing to close
    }
}
