package dev.portcullis.server.trail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.Decision;
import dev.portcullis.audit.event.EventJson;
import dev.portcullis.audit.query.AuditPage;
import dev.portcullis.audit.query.AuditQuery;
import dev.portcullis.audit.query.AuditSearch;
import dev.portcullis.audit.query.StoredEvent;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.sink.AuditLog;
import dev.portcullis.audit.sink.AuditSinkException;
import dev.portcullis.server.http.HttpService;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.server.http.OutboundResponse;
import dev.portcullis.server.http.Refusal;
import dev.portcullis.server.metrics.ServerMetrics;
import dev.portcullis.server.pipeline.AccessControl;
import dev.portcullis.server.pipeline.Authenticator;
import dev.portcullis.server.pipeline.Caller;
import dev.portcullis.server.pipeline.JsonApiEndpoint;
import dev.portcullis.server.pipeline.JsonApiEndpoint.JsonApiException;
import dev.portcullis.state.view.IamView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queries the audit trail: {@code X-Amz-Target: PortcullisAudit.LookupEvents} on the one pipeline of
 * {@link JsonApiEndpoint}, authorized as {@code portcullis:LookupEvents} on {@code *}; the search runs on a
 * worker and the lookup itself is audited (read-only).
 *
 * <p>Request members, all optional (shaped after CloudTrail's {@code LookupEvents}): {@code StartTime}
 * (inclusive) and {@code EndTime} (exclusive) as epoch seconds or ISO-8601; {@code Principal} (an ARN,
 * principal id, access key id or session issuer ARN); {@code EventName}; {@code Decision}
 * ({@code Allow}, {@code ExplicitDeny}, {@code ImplicitDeny}); {@code ErrorCode}; {@code RequestId};
 * {@code CorrelationId}; {@code MaxResults} (1–1000, default 50); {@code NextToken}.
 *
 * <p>Response: {@code {"Events": [{"EventId", "EventName", "EventTime" (epoch seconds), "EventSource",
 * "ReadOnly", "Username", "AccessKeyId", "Node", "Sequence", "CloudTrailEvent" (the event's JSON as a
 * string)}], "NextToken"}}, oldest first.
 */
public final class AuditLookup implements JsonApiEndpoint.Operations {

    static final String TARGET_PREFIX = "PortcullisAudit.";
    static final String ACTION = "LookupEvents";
    static final int DEFAULT_MAX_RESULTS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(AuditLookup.class);

    private final AuditSearch search;

    private AuditLookup(AuditLog log) {
        this.search = new AuditSearch(log);
    }

    /**
     * The API listener's service with the audit query API beside {@code api}: requests with
     * {@code X-Amz-Target: PortcullisAudit.…} come here, everything else goes to {@code api}.
     */
    public static HttpService beside(HttpService api, Vertx vertx, Authenticator authenticator, AccessControl access,
                                     Supplier<IamView> view, AuditRecorder audit, AuditLog log, ServerMetrics metrics,
                                     String region) {
        JsonApiEndpoint lookup = new JsonApiEndpoint(TARGET_PREFIX, new AuditLookup(log), vertx, authenticator, access,
                view, audit, metrics, region);
        return new HttpService() {
            @Override
            public Future<OutboundResponse> handle(InboundRequest request) {
                return lookup.claims(request) ? lookup.handle(request) : api.handle(request);
            }

            @Override
            public OutboundResponse refuse(InboundRequest request, Refusal refusal) {
                return lookup.claims(request) ? JsonApiEndpoint.refusal(refusal) : api.refuse(request, refusal);
            }
        };
    }

    @Override
    public Set<String> actions() {
        return Set.of(ACTION);
    }

    @Override
    public boolean readOnly(String action) {
        return true;
    }

    @Override
    public Map<String, String> auditParameters(String action, JsonNode body) {
        Map<String, String> params = new LinkedHashMap<>();
        body.fields().forEachRemaining(f -> params.put(f.getKey(),
                f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
        return params;
    }

    @Override
    public JsonApiEndpoint.Prepared prepare(String action, JsonNode body, Caller caller, IamView view)
            throws JsonApiException {
        AuditQuery query = query(body);
        Map<String, String> params = auditParameters(action, body);
        return new JsonApiEndpoint.Prepared() {
            @Override
            public String resource() {
                return "*";
            }

            @Override
            public String account() {
                return caller.accountId();
            }

            @Override
            public ObjectNode execute() throws JsonApiException {
                return lookup(query);
            }

            @Override
            public Map<String, String> auditParameters() {
                return params;
            }
        };
    }

    private ObjectNode lookup(AuditQuery query) throws JsonApiException {
        AuditPage page;
        try {
            page = search.query(query);
        } catch (IllegalArgumentException badToken) {
            throw new JsonApiException("InvalidNextTokenException", "The NextToken is not valid.", 400);
        } catch (AuditSinkException e) {
            LOG.error("audit lookup cannot read the trail: {}", e.getMessage());
            throw new JsonApiException("ServiceUnavailableException", "The audit trail cannot be read; retry later.",
                    503);
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode events = out.putArray("Events");
        for (StoredEvent s : page.events()) {
            events.add(describe(s));
        }
        page.nextPageToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }

    /** The filter a request body names. */
    static AuditQuery query(JsonNode body) throws JsonApiException {
        Instant from = time(body, "StartTime");
        Instant to = time(body, "EndTime");
        if (from != null && to != null && !from.isBefore(to)) {
            throw validation("StartTime must be before EndTime");
        }
        int limit = DEFAULT_MAX_RESULTS;
        JsonNode max = body.get("MaxResults");
        if (max != null && !max.isNull()) {
            if (!max.canConvertToInt() || !max.isIntegralNumber() || max.asInt() < 1 || max.asInt() > AuditQuery.MAX_LIMIT) {
                throw validation("MaxResults must be an integer between 1 and " + AuditQuery.MAX_LIMIT);
            }
            limit = max.asInt();
        }
        Decision.Outcome outcome = null;
        String decision = text(body, "Decision");
        if (decision != null) {
            try {
                outcome = Decision.Outcome.valueOf(decision);
            } catch (IllegalArgumentException e) {
                throw validation("Decision must be Allow, ExplicitDeny or ImplicitDeny");
            }
        }
        return new AuditQuery(from, to, text(body, "Principal"), text(body, "EventName"), outcome,
                text(body, "ErrorCode"), text(body, "RequestId"), text(body, "CorrelationId"), limit,
                text(body, "NextToken"));
    }

    private static String text(JsonNode body, String field) throws JsonApiException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > 2048) {
            throw validation(field + " must be a non-empty string of at most 2048 characters");
        }
        return v.asText();
    }

    /** AWS JSON 1.1 timestamps are epoch seconds; ISO-8601 text is accepted too. */
    private static Instant time(JsonNode body, String field) throws JsonApiException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            if (v.isNumber()) {
                BigDecimal seconds = v.decimalValue();
                return Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
            }
            if (v.isTextual()) {
                return Instant.parse(v.asText());
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // falls through to the validation error
        }
        throw validation(field + " must be epoch seconds or an ISO-8601 time");
    }

    private static JsonApiException validation(String message) {
        return JsonApiException.validation(message);
    }

    static ObjectNode describe(StoredEvent s) {
        AuditEvent e = s.event();
        ObjectNode n = JSON.createObjectNode();
        n.put("EventId", e.eventId()).put("EventName", e.eventName())
                .put("EventTime", new BigDecimal(e.eventTime().getEpochSecond())
                        .add(BigDecimal.valueOf(e.eventTime().getNano(), 9)).stripTrailingZeros())
                .put("EventSource", e.eventSource()).put("ReadOnly", Boolean.toString(e.readOnly()));
        if (e.userIdentity() != null) {
            if (e.userIdentity().arn() != null) {
                String arn = e.userIdentity().arn();
                n.put("Username", arn.substring(arn.lastIndexOf(arn.contains("/") ? '/' : ':') + 1));
            }
            if (e.userIdentity().accessKeyId() != null) {
                n.put("AccessKeyId", e.userIdentity().accessKeyId());
            }
        }
        n.put("Node", s.nodeId()).put("Sequence", s.seq());
        n.put("CloudTrailEvent", EventJson.toJson(e).toString());
        return n;
    }
}
