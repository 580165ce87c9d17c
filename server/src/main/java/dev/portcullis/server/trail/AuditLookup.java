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
import dev.portcullis.audit.recorder.AuditSlot;
import dev.portcullis.audit.recorder.AuditUnavailableException;
import dev.portcullis.audit.recorder.OverflowPolicy;
import dev.portcullis.audit.sink.AuditLog;
import dev.portcullis.audit.sink.AuditSinkException;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.sigv4.SigV4Exception;
import dev.portcullis.server.http.HttpService;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.server.http.OutboundResponse;
import dev.portcullis.server.http.Refusal;
import dev.portcullis.server.metrics.ServerMetrics;
import dev.portcullis.server.pipeline.AccessControl;
import dev.portcullis.server.pipeline.AuditTrail;
import dev.portcullis.server.pipeline.Authenticator;
import dev.portcullis.server.pipeline.Caller;
import dev.portcullis.server.pipeline.Denials;
import dev.portcullis.state.view.IamView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queries the audit trail: {@code POST /} with {@code X-Amz-Target: PortcullisAudit.LookupEvents} and a JSON
 * body, SigV4-signed for the service {@code portcullis}, in the AWS JSON 1.1 protocol like the gateway admin
 * API. The pipeline: audit slot (fail closed) → authenticate → authorize {@code portcullis:LookupEvents} on
 * {@code *} → search on a worker → audit the lookup itself ({@code eventSource} {@code portcullis},
 * read-only). Errors are {@code {"__type": CODE, "message": …}}.
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
public final class AuditLookup {

    static final String TARGET_PREFIX = "PortcullisAudit.";
    static final String SERVICE = "portcullis";
    static final String ACTION = "LookupEvents";
    static final int DEFAULT_MAX_RESULTS = 50;
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(AuditLookup.class);

    private final Vertx vertx;
    private final Authenticator authenticator;
    private final AccessControl access;
    private final Supplier<IamView> view;
    private final AuditRecorder audit;
    private final AuditSearch search;
    private final ServerMetrics metrics;
    private final String region;

    private AuditLookup(Vertx vertx, Authenticator authenticator, AccessControl access, Supplier<IamView> view,
                        AuditRecorder audit, AuditLog log, ServerMetrics metrics, String region) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.access = access;
        this.view = view;
        this.audit = audit;
        this.search = new AuditSearch(log);
        this.metrics = metrics;
        this.region = region;
    }

    /**
     * The API listener's service with the audit query API beside {@code api}: requests with
     * {@code X-Amz-Target: PortcullisAudit.…} come here, everything else goes to {@code api}.
     */
    public static HttpService beside(HttpService api, Vertx vertx, Authenticator authenticator, AccessControl access,
                                     Supplier<IamView> view, AuditRecorder audit, AuditLog log, ServerMetrics metrics,
                                     String region) {
        AuditLookup lookup = new AuditLookup(vertx, authenticator, access, view, audit, log, metrics, region);
        return new HttpService() {
            @Override
            public Future<OutboundResponse> handle(InboundRequest request) {
                return claims(request) ? lookup.handle(request) : api.handle(request);
            }

            @Override
            public OutboundResponse refuse(InboundRequest request, Refusal refusal) {
                if (!claims(request)) {
                    return api.refuse(request, refusal);
                }
                return error(refusal.jsonCode(), "The request was refused: " + refusal, refusal.status());
            }
        };
    }

    static boolean claims(InboundRequest request) {
        String target = request.header("x-amz-target");
        return target != null && target.startsWith(TARGET_PREFIX) && request.method().equals("POST");
    }

    static OutboundResponse error(String code, String message, int status) {
        ObjectNode n = JSON.createObjectNode().put("__type", code).put("message", message);
        return new OutboundResponse(status, CONTENT_TYPE, Map.of("x-amzn-ErrorType", code),
                n.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A client or server error in the JSON protocol's shape. */
    static final class LookupException extends Exception {
        final String code;
        final int status;

        LookupException(String code, String message, int status) {
            super(message, null, false, false);
            this.code = code;
            this.status = status;
        }
    }

    Future<OutboundResponse> handle(InboundRequest request) {
        String action = request.header("x-amz-target").substring(TARGET_PREFIX.length());
        AuditSlot slot;
        try {
            slot = audit.reserve(OverflowPolicy.FAIL_CLOSED);
        } catch (AuditUnavailableException e) {
            return Future.succeededFuture(error("ServiceUnavailableException",
                    "The audit trail is unavailable; the request was not processed. Retry later.", 503));
        }
        Call call = new Call(request, action, slot);
        Future<OutboundResponse> answer;
        try {
            answer = call.run();
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        return answer.recover(e -> {
            if (e instanceof LookupException le) {
                return Future.succeededFuture(call.fail(le));
            }
            LOG.error("audit lookup {} failed unexpectedly", request.requestId(), e);
            return Future.succeededFuture(call.fail(new LookupException("InternalFailure",
                    "The request processing has failed because of an unknown error.", 500)));
        });
    }

    private final class Call {
        final InboundRequest request;
        final String action;
        final AuditSlot slot;
        Caller caller;
        JsonNode body;
        AuthorizationResult decision;

        Call(InboundRequest request, String action, AuditSlot slot) {
            this.request = request;
            this.action = action;
            this.slot = slot;
        }

        Future<OutboundResponse> run() {
            Authenticator.Authenticated auth;
            try {
                auth = authenticator.authenticate(request, region, SERVICE);
            } catch (SigV4Exception e) {
                metrics.count("authentication.failures", "code", e.error().awsCode());
                return Future.failedFuture(new LookupException(e.error().awsCode(), e.error().message(),
                        e.error().httpStatus()));
            }
            caller = auth.caller();
            if (!action.equals(ACTION)) {
                return Future.failedFuture(new LookupException("UnknownOperationException",
                        "Unknown operation " + action, 400));
            }
            try {
                body = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
                if (body == null || !body.isObject()) {
                    throw new IOException("not an object");
                }
            } catch (IOException e) {
                body = null;
                return Future.failedFuture(new LookupException("SerializationException",
                        "The request body is not a JSON object", 400));
            }
            String actionName = SERVICE + ":" + ACTION;
            decision = access.authorize(caller, actionName, "*", caller.accountId(), Map.of(), Map.of(), Map.of(),
                    List.of(), request, auth, view.get(), false);
            if (!decision.allowed()) {
                return Future.failedFuture(new LookupException("AccessDeniedException",
                        Denials.message(caller.arn(), actionName, "*", decision), 403));
            }
            AuditQuery query;
            try {
                query = query(body);
            } catch (LookupException e) {
                return Future.failedFuture(e);
            }
            return vertx.executeBlocking(() -> lookup(query), false).map(this::ok);
        }

        private ObjectNode lookup(AuditQuery query) throws LookupException {
            AuditPage page;
            try {
                page = search.query(query);
            } catch (IllegalArgumentException badToken) {
                throw new LookupException("InvalidNextTokenException", "The NextToken is not valid.", 400);
            } catch (AuditSinkException e) {
                LOG.error("audit lookup {} cannot read the trail: {}", request.requestId(), e.getMessage());
                throw new LookupException("ServiceUnavailableException", "The audit trail cannot be read; retry later.",
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

        OutboundResponse ok(ObjectNode result) {
            finish(200, null, null);
            return new OutboundResponse(200, CONTENT_TYPE, Map.of(), result.toString().getBytes(StandardCharsets.UTF_8));
        }

        OutboundResponse fail(LookupException e) {
            finish(e.status, e.code, e.getMessage());
            return error(e.code, e.getMessage(), e.status);
        }

        private void finish(int status, String code, String message) {
            Map<String, String> params = new LinkedHashMap<>();
            if (body != null) {
                body.fields().forEachRemaining(f -> params.put(f.getKey(),
                        f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
            }
            String outcome = decision == null ? "none" : AuditTrail.decision(decision, false).outcome().name();
            metrics.request(SERVICE, action, outcome, status, false, System.nanoTime() - request.startNanos());
            slot.record(AuditTrail.event(request, AuditEvent.PORTCULLIS_SOURCE, action, region, caller, params,
                    decision, false, code, message, true));
        }
    }

    /** The filter a request body names. */
    static AuditQuery query(JsonNode body) throws LookupException {
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

    private static String text(JsonNode body, String field) throws LookupException {
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
    private static Instant time(JsonNode body, String field) throws LookupException {
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

    private static LookupException validation(String message) {
        return new LookupException("ValidationException", message, 400);
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
