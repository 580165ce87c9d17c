package dev.portcullis.audit.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one mapping between {@link AuditEvent} and its JSON form (CloudTrail's field names; null
 * fields omitted). Thread-safe.
 */
public final class EventJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private EventJson() {}

    public static ObjectNode toJson(AuditEvent e) {
        ObjectNode n = F.objectNode();
        n.put("eventVersion", e.eventVersion());
        n.put("eventId", e.eventId());
        n.put("eventTime", e.eventTime().toString());
        n.put("eventSource", e.eventSource());
        n.put("eventName", e.eventName());
        put(n, "awsRegion", e.awsRegion());
        put(n, "sourceIPAddress", e.sourceIPAddress());
        put(n, "userAgent", e.userAgent());
        if (e.userIdentity() != null) {
            n.set("userIdentity", identity(e.userIdentity()));
        }
        if (e.requestParameters() != null) {
            n.set("requestParameters", e.requestParameters());
        }
        if (e.responseElements() != null) {
            n.set("responseElements", e.responseElements());
        }
        put(n, "requestID", e.requestId());
        put(n, "correlationId", e.correlationId());
        put(n, "errorCode", e.errorCode());
        put(n, "errorMessage", e.errorMessage());
        n.put("readOnly", e.readOnly());
        if (e.decision() != null) {
            ObjectNode d = n.putObject("decision");
            d.put("outcome", e.decision().outcome().name());
            d.put("reportOnly", e.decision().reportOnly());
            ArrayNode statements = d.putArray("decisiveStatements");
            e.decision().decisiveStatements().forEach(statements::add);
        }
        n.put("latencyMicros", e.latencyMicros());
        return n;
    }

    /**
     * Reads an event written by {@link #toJson}.
     *
     * @throws IllegalArgumentException naming the field when the JSON is not an event
     */
    public static AuditEvent fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("event is not a JSON object");
        }
        JsonNode d = n.get("decision");
        Decision decision = null;
        if (d != null && d.isObject()) {
            List<String> statements = new ArrayList<>();
            d.path("decisiveStatements").forEach(s -> statements.add(s.asText()));
            decision = new Decision(outcome(d.path("outcome").asText()), d.path("reportOnly").asBoolean(), statements);
        }
        return new AuditEvent(
                text(n, "eventVersion"), required(n, "eventId"), instant(n, "eventTime"),
                required(n, "eventSource"), required(n, "eventName"), text(n, "awsRegion"),
                text(n, "sourceIPAddress"), text(n, "userAgent"), identity(n.get("userIdentity")),
                n.get("requestParameters"), n.get("responseElements"), text(n, "requestID"),
                text(n, "correlationId"), text(n, "errorCode"), text(n, "errorMessage"),
                n.path("readOnly").asBoolean(), decision, n.path("latencyMicros").asLong());
    }

    /** The {@code userIdentity} element of an event's JSON. */
    public static ObjectNode identityJson(UserIdentity u) {
        return identity(u);
    }

    private static ObjectNode identity(UserIdentity u) {
        ObjectNode n = F.objectNode();
        put(n, "type", u.type());
        put(n, "principalId", u.principalId());
        put(n, "arn", u.arn());
        put(n, "accountId", u.accountId());
        put(n, "accessKeyId", u.accessKeyId());
        if (u.sessionContext() != null) {
            UserIdentity.SessionContext c = u.sessionContext();
            ObjectNode sc = n.putObject("sessionContext");
            if (c.sessionIssuer() != null) {
                UserIdentity.SessionIssuer i = c.sessionIssuer();
                ObjectNode issuer = sc.putObject("sessionIssuer");
                put(issuer, "type", i.type());
                put(issuer, "principalId", i.principalId());
                put(issuer, "arn", i.arn());
                put(issuer, "accountId", i.accountId());
                put(issuer, "userName", i.userName());
            }
            ObjectNode attributes = sc.putObject("attributes");
            if (c.creationDate() != null) {
                attributes.put("creationDate", c.creationDate().toString());
            }
            if (c.mfaAuthenticated() != null) {
                attributes.put("mfaAuthenticated", c.mfaAuthenticated().toString());
            }
        }
        put(n, "invokedBy", u.invokedBy());
        return n;
    }

    private static UserIdentity identity(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        UserIdentity.SessionContext context = null;
        JsonNode sc = n.get("sessionContext");
        if (sc != null && sc.isObject()) {
            JsonNode i = sc.get("sessionIssuer");
            UserIdentity.SessionIssuer issuer = i == null ? null : new UserIdentity.SessionIssuer(
                    text(i, "type"), text(i, "principalId"), text(i, "arn"), text(i, "accountId"), text(i, "userName"));
            JsonNode a = sc.path("attributes");
            String mfa = text(a, "mfaAuthenticated");
            context = new UserIdentity.SessionContext(issuer, a.has("creationDate") ? instant(a, "creationDate") : null,
                    mfa == null ? null : Boolean.valueOf(mfa));
        }
        return new UserIdentity(text(n, "type"), text(n, "principalId"), text(n, "arn"), text(n, "accountId"),
                text(n, "accessKeyId"), context, text(n, "invokedBy"));
    }

    private static Decision.Outcome outcome(String s) {
        try {
            return Decision.Outcome.valueOf(s);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("decision.outcome is not Allow, ExplicitDeny or ImplicitDeny: " + s);
        }
    }

    private static void put(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String required(JsonNode n, String field) {
        String v = text(n, field);
        if (v == null) {
            throw new IllegalArgumentException("event has no " + field);
        }
        return v;
    }

    private static Instant instant(JsonNode n, String field) {
        try {
            return Instant.parse(required(n, field));
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException(field + " is not an ISO-8601 instant");
        }
    }
}
