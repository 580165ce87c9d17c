package dev.portcullis.server.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.Decision;
import dev.portcullis.audit.event.UserIdentity;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.PrincipalType;
import dev.portcullis.core.policy.StatementRef;
import dev.portcullis.core.token.SessionClaims;
import dev.portcullis.core.token.SessionType;
import dev.portcullis.server.http.InboundRequest;
import java.util.List;
import java.util.Map;

/**
 * Builds the audit event of one request: CloudTrail's shape plus the decision. Secrets are removed by
 * the audit module's redactor when the event is built; this class never adds a secret in the first
 * place (it copies parameters, never credentials).
 */
public final class AuditTrail {

    private AuditTrail() {
    }

    public static AuditEvent event(InboundRequest request, String eventSource, String eventName, String region,
                            Caller caller, Map<String, String> parameters, AuthorizationResult result,
                            boolean reportOnly, String errorCode, String errorMessage, boolean readOnly) {
        return event(request, eventSource, eventName, region, caller, parameters, decision(result, reportOnly),
                errorCode, errorMessage, readOnly);
    }

    /** {@link #event} with the decision already converted ({@link #decision}). */
    public static AuditEvent event(InboundRequest request, String eventSource, String eventName, String region,
                            Caller caller, Map<String, String> parameters, Decision decision, String errorCode,
                            String errorMessage, boolean readOnly) {
        ObjectNode params = null;
        if (parameters != null && !parameters.isEmpty()) {
            params = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, String> e : parameters.entrySet()) {
                if (!e.getKey().equals("Action") && !e.getKey().equals("Version")) {
                    params.put(e.getKey(), e.getValue());
                }
            }
        }
        return event(request, eventSource, eventName, region, caller, params, decision, errorCode, errorMessage, readOnly);
    }

    /**
     * {@link #event} with the request parameters already as JSON (null for none). The event takes a redacted
     * copy; the caller may drop {@code params}.
     */
    public static AuditEvent event(InboundRequest request, String eventSource, String eventName, String region,
                            Caller caller, ObjectNode params, Decision decision, String errorCode,
                            String errorMessage, boolean readOnly) {
        return AuditEvent.builder()
                .eventId(dev.portcullis.server.http.RequestIds.uuid())
                .eventTime(request.receivedAt())
                .eventSource(eventSource)
                .eventName(eventName)
                .awsRegion(region)
                .sourceIPAddress(request.sourceIp())
                .userAgent(userAgent(request))
                .userIdentity(identity(caller))
                .requestParameters(params)
                .requestId(request.requestId())
                .correlationId(request.correlationId())
                .errorCode(errorCode)
                .errorMessage(errorMessage)
                .readOnly(readOnly)
                .decision(decision)
                .latencyMicros((System.nanoTime() - request.startNanos()) / 1_000)
                .build();
    }

    /**
     * The request's {@code User-Agent}, or null when it sent none: the field is then left out of the event,
     * as CloudTrail leaves out fields without a value.
     */
    public static String userAgent(InboundRequest request) {
        String ua = request.userAgent();
        return ua.isEmpty() ? null : ua;
    }

    public static Decision decision(AuthorizationResult result, boolean reportOnly) {
        if (result == null) {
            return null;
        }
        Decision.Outcome outcome = switch (result.decision()) {
            case ALLOW -> Decision.Outcome.Allow;
            case EXPLICIT_DENY -> Decision.Outcome.ExplicitDeny;
            case IMPLICIT_DENY -> Decision.Outcome.ImplicitDeny;
        };
        List<String> decisive = result.decisiveStatements().stream().map(StatementRef::label).toList();
        return new Decision(outcome, reportOnly, decisive);
    }

    static UserIdentity identity(Caller caller) {
        if (caller == null) {
            return UserIdentity.anonymous();
        }
        PrincipalType type = caller.principal().type();
        String cloudTrailType = switch (type) {
            case ACCOUNT -> "Root";
            case USER -> "IAMUser";
            case ASSUMED_ROLE -> "AssumedRole";
            case SERVICE -> "AWSService";
            case WEB_IDENTITY -> "WebIdentityUser";
            default -> "Unknown";
        };
        UserIdentity.SessionContext context = null;
        if (caller.session().isPresent()) {
            SessionClaims s = caller.session().get();
            UserIdentity.SessionIssuer issuer = s.type() == SessionType.ASSUMED_ROLE
                    ? new UserIdentity.SessionIssuer("Role", s.principalId(), s.principalArn(), s.accountId(),
                            s.principalArn().substring(s.principalArn().lastIndexOf('/') + 1))
                    : new UserIdentity.SessionIssuer(s.principalArn().endsWith(":root") ? "Root" : "IAMUser",
                            s.principalId(), s.principalArn(), s.accountId(), null);
            context = new UserIdentity.SessionContext(issuer, s.issuedAt(), false);
        }
        String invokedBy = caller.service().map(sp -> sp.name()).orElse(null);
        return new UserIdentity(cloudTrailType, caller.userId(), type == PrincipalType.SERVICE ? null : caller.arn(),
                caller.accountId(), caller.accessKeyId(), context, invokedBy);
    }
}
