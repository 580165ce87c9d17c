package dev.portcullis.audit.query;

import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.Decision;
import java.time.Instant;

/**
 * A filter and a page: every non-null criterion must match. {@code principal} matches the
 * identity's ARN, principal id, access key id or session issuer ARN; {@code from} is inclusive and
 * {@code to} exclusive, on the event time. {@code limit} is 1..1000.
 */
public record AuditQuery(Instant from, Instant to, String principal, String eventName, Decision.Outcome outcome,
        String errorCode, String requestId, String correlationId, int limit, String pageToken) {

    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    public static AuditQuery all(int limit) {
        return new AuditQuery(null, null, null, null, null, null, null, null, limit, null);
    }

    public AuditQuery withPageToken(String token) {
        return new AuditQuery(from, to, principal, eventName, outcome, errorCode, requestId, correlationId, limit, token);
    }

    /** Whether the event satisfies every criterion (the page token aside). */
    public boolean matches(AuditEvent e) {
        if (from != null && e.eventTime().isBefore(from)) {
            return false;
        }
        if (to != null && !e.eventTime().isBefore(to)) {
            return false;
        }
        if (principal != null && !matchesPrincipal(e)) {
            return false;
        }
        return (eventName == null || eventName.equals(e.eventName()))
                && (outcome == null || (e.decision() != null && e.decision().outcome() == outcome))
                && (errorCode == null || errorCode.equals(e.errorCode()))
                && (requestId == null || requestId.equals(e.requestId()))
                && (correlationId == null || correlationId.equals(e.correlationId()));
    }

    private boolean matchesPrincipal(AuditEvent e) {
        var u = e.userIdentity();
        if (u == null) {
            return false;
        }
        boolean issuer = u.sessionContext() != null && u.sessionContext().sessionIssuer() != null
                && principal.equals(u.sessionContext().sessionIssuer().arn());
        return principal.equals(u.arn()) || principal.equals(u.principalId()) || principal.equals(u.accessKeyId()) || issuer;
    }
}
