package dev.portcullis.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.recorder.AuditSlot;
import dev.portcullis.audit.recorder.AuditUnavailableException;
import dev.portcullis.audit.recorder.OverflowPolicy;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.sigv4.SigV4Exception;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.server.http.OutboundResponse;
import dev.portcullis.server.metrics.ServerMetrics;
import dev.portcullis.server.pipeline.AccessControl;
import dev.portcullis.server.pipeline.AuditTrail;
import dev.portcullis.server.pipeline.Authenticator;
import dev.portcullis.server.pipeline.Caller;
import dev.portcullis.server.pipeline.ChangeAudit;
import dev.portcullis.server.pipeline.Denials;
import dev.portcullis.state.IamException;
import dev.portcullis.state.IamState;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.Api;
import dev.portcullis.state.model.Route;
import dev.portcullis.state.view.IamView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's admin API, in the AWS JSON 1.1 protocol: {@code POST /} with
 * {@code X-Amz-Target: PortcullisGateway.ACTION} and a JSON body, SigV4-signed for the service
 * {@code portcullis}. Every call takes the one pipeline: audit slot (fail closed) → authenticate →
 * authorize {@code portcullis:ACTION} on {@code arn:aws:portcullis:REGION:ACCOUNT:api/API_ID} → run on a
 * worker → audit. Errors are {@code {"__type": CODE, "message": …}}.
 *
 * <p>Actions: {@code CreateApi} ({@code name}, optional {@code apiId}, {@code resourcePolicy}),
 * {@code UpdateApi}, {@code GetApi}, {@code ListApis}, {@code DeleteApi}, {@code PutStage}
 * ({@code apiId}, {@code stageName}), {@code PutRoute} ({@code apiId}, {@code routeKey},
 * {@code upstreamUrl}, {@code authorization}, {@code invocation}, {@code timeoutMillis},
 * {@code maxBodyBytes}, {@code maxAttempts}), {@code DeleteRoute} ({@code apiId}, {@code routeKey}).
 */
final class GatewayAdmin {

    static final String TARGET_PREFIX = "PortcullisGateway.";
    static final String SERVICE = "portcullis";
    private static final Set<String> ACTIONS = Set.of("CreateApi", "UpdateApi", "GetApi", "ListApis", "DeleteApi",
            "PutStage", "PutRoute", "DeleteRoute");
    private static final Set<String> READ_ONLY = Set.of("GetApi", "ListApis");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx;
    private final IamState state;
    private final Authenticator authenticator;
    private final AccessControl access;
    private final AuditRecorder audit;
    private final ServerMetrics metrics;
    private final String region;

    GatewayAdmin(Vertx vertx, IamState state, Authenticator authenticator, AccessControl access, AuditRecorder audit,
                 ServerMetrics metrics, String region) {
        this.vertx = vertx;
        this.state = state;
        this.authenticator = authenticator;
        this.access = access;
        this.audit = audit;
        this.metrics = metrics;
        this.region = region;
    }

    static boolean claims(InboundRequest request) {
        String target = request.header("x-amz-target");
        return target != null && target.startsWith(TARGET_PREFIX) && request.method().equals("POST");
    }

    /** A client or server error in the JSON protocol's shape. */
    static final class AdminException extends Exception {
        final String code;
        final int status;

        AdminException(String code, String message, int status) {
            super(message, null, false, false);
            this.code = code;
            this.status = status;
        }
    }

    static OutboundResponse error(String code, String message, int status) {
        ObjectNode n = JSON.createObjectNode().put("__type", code).put("message", message);
        return new OutboundResponse(status, "application/x-amz-json-1.1", Map.of("x-amzn-ErrorType", code),
                n.toString().getBytes(StandardCharsets.UTF_8));
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
        return call.run().recover(e -> Future.succeededFuture(e instanceof AdminException ae
                ? call.fail(ae) : call.fail(new AdminException("InternalFailure",
                        "The request processing has failed because of an unknown error.", 500))));
    }

    private final class Call {
        final InboundRequest request;
        final String action;
        final AuditSlot slot;
        Caller caller;
        JsonNode body;
        AuthorizationResult decision;
        String apiId;

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
                return Future.failedFuture(new AdminException(e.error().awsCode(), e.error().message(),
                        e.error().httpStatus()));
            }
            caller = auth.caller();
            if (!ACTIONS.contains(action)) {
                return Future.failedFuture(new AdminException("UnknownOperationException",
                        "Unknown operation " + action, 400));
            }
            try {
                body = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
                if (!body.isObject()) {
                    throw new IOException("not an object");
                }
            } catch (IOException e) {
                return Future.failedFuture(new AdminException("SerializationException",
                        "The request body is not a JSON object", 400));
            }
            String account = caller.accountId();
            if (action.equals("CreateApi")) {
                apiId = body.hasNonNull("apiId") ? body.get("apiId").asText() : newApiId();
            } else if (!action.equals("ListApis")) {
                apiId = body.path("apiId").asText("");
                if (apiId.isEmpty()) {
                    return Future.failedFuture(new AdminException("ValidationException", "apiId is required", 400));
                }
            }
            IamView view = state.view();
            Optional<Api> existing = apiId == null ? Optional.empty() : view.api(apiId);
            if (existing.isPresent()) {
                account = existing.get().accountId();
            }
            String resource = apiId == null ? "*" : "arn:aws:portcullis:" + region + ":" + account + ":api/" + apiId;
            String actionName = SERVICE + ":" + action;
            decision = access.authorize(caller, actionName, resource, account, Map.of(), Map.of(), Map.of(), List.of(),
                    request, auth, view, false);
            if (!decision.allowed()) {
                return Future.failedFuture(new AdminException("AccessDeniedException",
                        Denials.message(caller.arn(), actionName, resource, decision), 403));
            }
            String owner = account;
            return vertx.executeBlocking(() -> ChangeAudit.during(request, caller, () -> execute(owner)), false)
                    .map(this::ok);
        }

        private ObjectNode execute(String account) throws AdminException {
            try {
                switch (action) {
                    case "CreateApi", "UpdateApi" -> {
                        if (action.equals("CreateApi") && state.view().api(apiId).isPresent()) {
                            throw new AdminException("ConflictException", "API " + apiId + " already exists", 409);
                        }
                        if (action.equals("UpdateApi") && state.view().api(apiId).isEmpty()) {
                            throw notFound();
                        }
                        JsonNode policy = body.get("resourcePolicy");
                        state.apply(new Change.PutApi(apiId, account, body.path("name").asText(apiId),
                                policy == null || policy.isNull() ? Optional.empty()
                                        : Optional.of(policy.isTextual() ? policy.asText() : policy.toString()),
                                Map.of(), Instant.now()), caller.arn());
                    }
                    case "DeleteApi" -> {
                        requireApi();
                        state.apply(new Change.DeleteApi(apiId), caller.arn());
                        return JSON.createObjectNode();
                    }
                    case "PutStage" -> {
                        requireApi();
                        String stage = required("stageName");
                        if (!stage.matches("[A-Za-z0-9_-]{1,128}")) {
                            throw new AdminException("ValidationException", "Invalid stage name " + stage, 400);
                        }
                        state.apply(new Change.PutStage(apiId, stage, Map.of()), caller.arn());
                    }
                    case "PutRoute" -> {
                        requireApi();
                        String key = required("routeKey");
                        if (RouteTable.Pattern.parse(key).isEmpty()) {
                            throw new AdminException("ValidationException",
                                    "Invalid route key " + key + ": expected METHOD /path or $default", 400);
                        }
                        String upstream = required("upstreamUrl");
                        if (!upstream.matches("https?://[^\\s]+")) {
                            throw new AdminException("ValidationException", "upstreamUrl must be an http(s) URL", 400);
                        }
                        String authorization = body.path("authorization").asText("IAM");
                        if (!Set.of("IAM", "IAM_REPORT_ONLY", "NONE").contains(authorization)) {
                            throw new AdminException("ValidationException",
                                    "authorization must be IAM, IAM_REPORT_ONLY or NONE", 400);
                        }
                        String invocation = body.path("invocation").asText("sync");
                        if (!Set.of("sync", "async").contains(invocation)) {
                            throw new AdminException("ValidationException", "invocation must be sync or async", 400);
                        }
                        Map<String, String> attributes = new LinkedHashMap<>();
                        for (String k : new String[] {"timeoutMillis", "maxBodyBytes", "maxAttempts"}) {
                            if (body.hasNonNull(k)) {
                                if (!body.get(k).canConvertToLong() || body.get(k).asLong() <= 0) {
                                    throw new AdminException("ValidationException", k + " must be a positive integer", 400);
                                }
                                attributes.put(k, Long.toString(body.get(k).asLong()));
                            }
                        }
                        state.apply(new Change.PutRoute(apiId, key, upstream, authorization, invocation, attributes),
                                caller.arn());
                    }
                    case "DeleteRoute" -> {
                        requireApi();
                        state.apply(new Change.DeleteRoute(apiId, required("routeKey")), caller.arn());
                    }
                    case "ListApis" -> {
                        ObjectNode out = JSON.createObjectNode();
                        ArrayNode items = out.putArray("items");
                        for (Api a : state.view().apis()) {
                            if (a.accountId().equals(caller.accountId())) {
                                items.add(describe(a));
                            }
                        }
                        return out;
                    }
                    default -> requireApi();
                }
                return describe(state.view().api(apiId).orElseThrow(this::notFound));
            } catch (IamException e) {
                throw new AdminException(e.code().endsWith("Exception") ? e.code() : e.code() + "Exception",
                        e.getMessage(), e.httpStatus());
            }
        }

        private void requireApi() throws AdminException {
            if (state.view().api(apiId).isEmpty()) {
                throw notFound();
            }
        }

        private AdminException notFound() {
            return new AdminException("NotFoundException", "Invalid API identifier specified " + apiId, 404);
        }

        private String required(String field) throws AdminException {
            String v = body.path(field).asText("");
            if (v.isBlank()) {
                throw new AdminException("ValidationException", field + " is required", 400);
            }
            return v;
        }

        OutboundResponse ok(ObjectNode result) {
            finish(200, null, null);
            return new OutboundResponse(200, "application/x-amz-json-1.1", Map.of(),
                    result.toString().getBytes(StandardCharsets.UTF_8));
        }

        OutboundResponse fail(AdminException e) {
            finish(e.status, e.code, e.getMessage());
            return error(e.code, e.getMessage(), e.status);
        }

        private void finish(int status, String code, String message) {
            Map<String, String> params = new LinkedHashMap<>();
            if (apiId != null) {
                params.put("apiId", apiId);
            }
            if (body != null) {
                for (String k : new String[] {"name", "stageName", "routeKey", "upstreamUrl", "authorization", "invocation"}) {
                    if (body.hasNonNull(k)) {
                        params.put(k, body.get(k).asText());
                    }
                }
            }
            String outcome = decision == null ? "none" : AuditTrail.decision(decision, false).outcome().name();
            metrics.request(SERVICE, action, outcome, status, false, System.nanoTime() - request.startNanos());
            slot.record(AuditTrail.event(request, "portcullis.amazonaws.com", action, region, caller, params, decision,
                    false, code, message, READ_ONLY.contains(action)));
        }
    }

    static ObjectNode describe(Api a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("apiId", a.apiId()).put("name", a.name()).put("accountId", a.accountId())
                .put("createdAt", a.createdAt().toString());
        a.resourcePolicy().ifPresent(p -> n.put("resourcePolicy", p));
        ArrayNode stages = n.putArray("stages");
        a.stages().keySet().stream().sorted().forEach(stages::add);
        ArrayNode routes = n.putArray("routes");
        a.routes().values().stream().sorted(java.util.Comparator.comparing(Route::routeKey)).forEach(r -> {
            ObjectNode rn = routes.addObject().put("routeKey", r.routeKey()).put("upstreamUrl", r.upstreamUrl())
                    .put("authorization", r.authorization()).put("invocation", r.invocation());
            r.attributes().forEach(rn::put);
        });
        return n;
    }

    private static String newApiId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
