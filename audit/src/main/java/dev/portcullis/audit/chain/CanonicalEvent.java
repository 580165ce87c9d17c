package dev.portcullis.audit.chain;

import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.CanonicalEventWriter;

/**
 * An event's canonical JSON, written straight from the record ({@link CanonicalEventWriter}) without
 * building and sorting a tree. It must produce exactly {@code CanonicalJson.string(EventJson.toJson(e))};
 * tests pin that over many random events.
 */
final class CanonicalEvent {

    private CanonicalEvent() {}

    static String json(AuditEvent e) {
        return CanonicalEventWriter.string(e);
    }
}
