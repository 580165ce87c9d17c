package dev.portcullis.cli.audit;

import dev.portcullis.audit.event.Decision;
import dev.portcullis.audit.query.AuditQuery;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The filters shared by {@code query} and {@code tail}. */
final class EventFilter {

    @Option(names = "--from", converter = TimeArgument.class, description = "Events at or after this time (ISO-8601 or an age like 2h).")
    Instant from;

    @Option(names = "--to", converter = TimeArgument.class, description = "Events before this time.")
    Instant to;

    @Option(names = "--principal", description = "Principal ARN, principal id, access key id or session issuer ARN.")
    String principal;

    @Option(names = "--event-name", description = "For example AssumeRole, CreateRole, Invoke.")
    String eventName;

    @Option(names = "--decision", description = "Allow, ExplicitDeny or ImplicitDeny.")
    Decision.Outcome decision;

    @Option(names = "--error-code", description = "For example AccessDenied.")
    String errorCode;

    @Option(names = "--request-id")
    String requestId;

    @Option(names = "--correlation-id")
    String correlationId;

    AuditQuery query(int limit, String pageToken) {
        return new AuditQuery(from, to, principal, eventName, decision, errorCode, requestId, correlationId, limit, pageToken);
    }
}
