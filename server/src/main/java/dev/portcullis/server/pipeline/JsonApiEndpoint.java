package dev.portcullis.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.recorder.AuditSlot;
import dev.portcullis.audit.recorder.AuditUnavailableException;
import dev.portcullis.audit.recorder.OverflowPolicy;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.sigv4.SigV4Exception;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.server.http.OutboundResponse;
import dev.portcullis.server.http.Refusal;
import dev.portcullis.server.metrics.ServerMetrics;
import dev.portcullis.state.view.IamView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of Portcullis's own APIs in the AWS JSON 1.1 protocol: {@code POST /} with
 * {@code X-Amz-Target: PREFIX.ACTION} and a JSON object body, SigV4-signed for the service
 * {@value #SERVICE}. Every call takes the one pipeline: audit slot (fail closed) → authenticate →
 * parse → {@link Operations#prepare} names the resource → authorize {@code portcullis:ACTION} with the engine →
 * run on a worker (changes it applies are attributed to the request, see {@link ChangeAudit#during}) →
 * audit the call ({@code eventSource} {@value AuditEvent#PORTCULLIS_SOURCE}). Errors are
 * {@code {"__type": CODE, "message": …}} with the {@code x-amzn-ErrorType} header, as AWS's JSON protocol
 * answers them.
 *
 * <p>The APIs built on it ({@code PortcullisGateway.*}, {@code PortcullisAudit.*}) supply only their
 * {@link Operations}: which actions exist, which are read-only, and how each names its resource and runs.
 */
public final class JsonApiEndpoint {

    public static final String SERVICE = "portcullis";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(JsonApiEndpoint.class);

    /** A client or server error in the JSON protocol's shape. */
    public static final class JsonApiException extends Exception {
        private final String code;
        private final int status;

        public JsonApiException(String code, String message, int status) {
            super(message, null, false, false);
            this.code = code;
            this.status = status;
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }

        public static JsonApiException validation(String message) {
            return new JsonApiException("ValidationException", message, 400);
        }
    }

    /** A call authorized and ready to run: its resource, the account owning it, and its work. */
    public interface Prepared {
        /** The resource ARN the action is authorized on ({@code *} for account-wide actions). */
        String resource();

        /** The account the resource belongs to (the caller's for account-wide actions). */
        String account();

        /** Runs the call on a worker thread; the result is the response body. */
        ObjectNode execute() throws JsonApiException;

        /** The request parameters the call's audit event carries (never secrets). */
        Map<String, String> auditParameters();
    }

    /** What one API supplies. */
    public interface Operations {
        /** The actions this API has, without the target prefix. */
        Set<String> actions();

        /** Whether {@code action} only reads (the audit event's {@code readOnly}). */
        boolean readOnly(String action);

        /** Validates the body and names the resource; runs on the event loop, reading only memory. */
        Prepared prepare(String action, JsonNode body, Caller caller, IamView view) throws JsonApiException;

        /** The audit parameters of a call refused before it was prepared (bad body, denied, unknown). */
        Map<String, String> auditParameters(String action, JsonNode body);
    }

    private final String targetPrefix;
    private final Operations operations;
    private final Vertx vertx;
    private final Authenticator authenticator;
    private final AccessControl access;
    private final Supplier<IamView> view;
    private final AuditRecorder audit;
    private final ServerMetrics metrics;
    private final String region;

    /** An API answering {@code X-Amz-Target: targetPrefix + ACTION}; the prefix ends with a dot. */
    public JsonApiEndpoint(String targetPrefix, Operations operations, Vertx vertx, Authenticator authenticator,
                           AccessControl access, Supplier<IamView> view, AuditRecorder audit, ServerMetrics metrics,
                           String region) {
        if (!targetPrefix.endsWith(".")) {
            throw new IllegalArgumentException("a target prefix ends with a dot: " + targetPrefix);
        }
        this.targetPrefix = targetPrefix;
        this.operations = operations;
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.access = access;
        this.view = view;
        this.audit = audit;
        this.metrics = metrics;
        this.region = region;
    }

    /** Whether this API answers {@code request}. */
    public boolean claims(InboundRequest request) {
        String target = request.header("x-amz-target");
        return target != null && target.startsWith(targetPrefix) && request.method().equals("POST");
    }

    /** An error response in the protocol's shape. */
    public static OutboundResponse error(String code, String message, int status) {
        ObjectNode n = JSON.createObjectNode().put("__type", code).put("message", message);
        return new OutboundResponse(status, CONTENT_TYPE, Map.of("x-amzn-ErrorType", code),
                n.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The answer to a request the listener refused before it was read (too large, too slow, undecodable). */
    public static OutboundResponse refusal(Refusal refusal) {
        return error(refusal.jsonCode(), "The request was refused: " + refusal, refusal.status());
    }

    /** Handles a request this API {@link #claims}; the future never fails. */
    public Future<OutboundResponse> handle(InboundRequest request) {
        String action = request.header("x-amz-target").substring(targetPrefix.length());
        AuditSlot slot;
        try {
            slot = audit.reserve(OverflowPolicy.Endpoint.ADMIN);
        } catch (AuditUnavailableException e) {
            return Future.succeededFuture(error("ServiceUnavailableException",
                    "The audit trail is unavailable; the request was not processed. Retry later.", 503));
        }
        Call call = new Call(request, action, slot);
        Future<OutboundResponse> answer;
        try {
            answer = call.run();
        } catch (JsonApiException | RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        return answer.recover(e -> {
            if (e instanceof JsonApiException je) {
                return Future.succeededFuture(call.fail(je));
            }
            LOG.error("{}{} request {} failed unexpectedly", targetPrefix, action, request.requestId(), e);
            return Future.succeededFuture(call.fail(new JsonApiException("InternalFailure",
                    "The request processing has failed because of an unknown error.", 500)));
        });
    }

    private final class Call {
        final InboundRequest request;
        final String action;
        final AuditSlot slot;
        Caller caller;
        JsonNode body;
        Prepared prepared;
        AuthorizationResult decision;

        Call(InboundRequest request, String action, AuditSlot slot) {
            this.request = request;
            this.action = action;
            this.slot = slot;
        }

        Future<OutboundResponse> run() throws JsonApiException {
            Authenticator.Authenticated auth;
            try {
                auth = authenticator.authenticate(request, region, SERVICE);
            } catch (SigV4Exception e) {
                metrics.count("authentication.failures", "code", e.error().awsCode());
                throw new JsonApiException(e.error().awsCode(), e.error().message(), e.error().httpStatus());
            }
            caller = auth.caller();
            if (!operations.actions().contains(action)) {
                throw new JsonApiException("UnknownOperationException", "Unknown operation " + action, 400);
            }
            try {
                JsonNode parsed = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
                if (parsed == null || !parsed.isObject()) {
                    throw new IOException("not an object");
                }
                body = parsed;
            } catch (IOException e) {
                throw new JsonApiException("SerializationException", "The request body is not a JSON object", 400);
            }
            IamView current = view.get();
            prepared = operations.prepare(action, body, caller, current);
            String actionName = SERVICE + ":" + action;
            decision = access.authorize(caller, actionName, prepared.resource(), prepared.account(), Map.of(), Map.of(),
                    Map.of(), List.of(), request, auth, current, false);
            if (!decision.allowed()) {
                throw new JsonApiException("AccessDeniedException",
                        Denials.message(caller.arn(), actionName, prepared.resource(), decision), 403);
            }
            Prepared work = prepared;
            return vertx.executeBlocking(() -> ChangeAudit.during(request, caller, work::execute), false).map(this::ok);
        }

        OutboundResponse ok(ObjectNode result) {
            finish(200, null, null);
            return new OutboundResponse(200, CONTENT_TYPE, Map.of(), result.toString().getBytes(StandardCharsets.UTF_8));
        }

        OutboundResponse fail(JsonApiException e) {
            finish(e.status(), e.code(), e.getMessage());
            return error(e.code(), e.getMessage(), e.status());
        }

        private void finish(int status, String code, String message) {
            Map<String, String> params = prepared != null ? prepared.auditParameters()
                    : body != null ? operations.auditParameters(action, body) : Map.of();
            String outcome = decision == null ? "none" : AuditTrail.decision(decision, false).outcome().name();
            metrics.request(SERVICE, action, outcome, status, false, System.nanoTime() - request.startNanos());
            slot.record(AuditTrail.event(request, AuditEvent.PORTCULLIS_SOURCE, action, region, caller, params,
                    decision, false, code, message, operations.readOnly(action)));
        }
    }
}
