/**
 * The audit trail's admin query API on the API listener: {@code PortcullisAudit.LookupEvents} (AWS JSON
 * 1.1, SigV4 for the service {@code portcullis}), authorized as {@code portcullis:LookupEvents} on
 * {@code *} and itself audited. The door is {@link dev.portcullis.server.trail.AuditLookup#beside}.
 */
package dev.portcullis.server.trail;
