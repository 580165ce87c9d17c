package dev.portcullis.audit.query;

import dev.portcullis.audit.event.AuditEvent;

/** An event as stored: the node whose chain holds it, its sequence number and record hash, and the event. */
public record StoredEvent(String nodeId, long seq, String hash, AuditEvent event) {}
