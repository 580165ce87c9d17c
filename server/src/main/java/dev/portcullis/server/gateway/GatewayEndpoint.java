package dev.portcullis.server.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.recorder.AuditSlot;
import dev.portcullis.audit.recorder.AuditUnavailableException;
import dev.portcullis.audit.recorder.OverflowPolicy;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.Decision;
import dev.portcullis.core.policy.PolicyRef;
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
import dev.portcullis.state.jobs.JobOwner;
import dev.portcullis.state.model.Api;
import dev.portcullis.state.model.Route;
import dev.portcullis.state.view.IamView;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's service: {@code METHOD /{apiId}/{stage}/{path…}} (or {@code Host: {apiId}.execute-api.…}
 * with {@code /{stage}/{path…}}) → route → audit slot → authenticate → authorize
 * {@code execute-api:Invoke} → forward (sync) or enqueue (async) → audit.
 *
 * <p>Threading: matching, authentication and authorization run on the event loop (memory only);
 * forwarding is non-blocking; the durable enqueue, and the cluster-wide replay check of a replay-protected
 * route on a PostgreSQL store, run on a worker thread.
 */
public final class GatewayEndpoint implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayEndpoint.class);

    static final String EVENT_SOURCE = "execute-api.amazonaws.com";
    static final String ACTION = "execute-api:Invoke";
    /** API Gateway's defaults: 29 s integration timeout, 10 MB payload. */
    static final long DEFAULT_TIMEOUT_MILLIS = 29_000;
    static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** The most a route's {@code maxBodyBytes} can raise its limit to (bodies are buffered in memory). */
    static final long MAX_ROUTE_BODY_BYTES = 64L * 1024 * 1024;

    /** Hop-by-hop headers (RFC 9110 §7.6.1) and those the client set for us, never forwarded. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade", "host", "content-length",
            "authorization", "x-amz-security-token", "x-amz-invocation-type");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade", "content-length",
            "content-type", "x-amzn-requestid");
    private static final Set<String> PRESIGN_PARAMS = Set.of("x-amz-algorithm", "x-amz-credential", "x-amz-date",
            "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token");

    private final Authenticator authenticator;
    private final AccessControl access;
    private final Supplier<IamView> view;
    private final AuditRecorder audit;
    private final ServerMetrics metrics;
    private final String region;
    private final Forwarder forwarder;
    private final Delivery delivery;
    private final ReplayGuard replays = new ReplayGuard(ReplayGuard.MAX_ENTRIES);
    /** The cluster's signature ledger (PostgreSQL store), or null on a single node. */
    private final SharedReplays shared;

    GatewayEndpoint(Authenticator authenticator, AccessControl access, Supplier<IamView> view, AuditRecorder audit,
                    ServerMetrics metrics, String region, Forwarder forwarder, Delivery delivery, SharedReplays shared) {
        this.shared = shared;
        this.authenticator = authenticator;
        this.access = access;
        this.view = view;
        this.audit = audit;
        this.metrics = metrics;
        this.region = region;
        this.forwarder = forwarder;
        this.delivery = delivery;
    }

    /** Where an invocation points: the API, the stage and the path after the stage (raw, starting with {@code /}). */
    record Target(Api api, String stage, String path) {
    }

    /** The API, stage and path an invocation names, if the API and stage exist. */
    static Optional<Target> target(InboundRequest request, IamView view) {
        String path = request.rawPath();
        String host = request.host();
        Optional<CustomDomains.Mapping> mapped = CustomDomains.lookup(view, host);
        if (mapped.isPresent()) {
            return mappedTarget(mapped.get(), path, view);
        }
        List<String> segments = RouteTable.split(path);
        String apiId;
        int skip;
        if (host != null && host.contains(".execute-api.")) {
            apiId = host.substring(0, host.indexOf('.'));
            skip = 1;
        } else {
            if (segments.isEmpty()) {
                return Optional.empty();
            }
            apiId = segments.get(0);
            skip = 2;
        }
        Optional<Api> api = view.api(apiId);
        if (api.isEmpty() || segments.size() < skip) {
            return Optional.empty();
        }
        String stage = segments.get(skip - 1);
        if (!api.get().stages().containsKey(stage)) {
            return Optional.empty();
        }
        // Cut the leading /{apiId}/{stage} (or /{stage}) from the raw path, keeping a trailing slash.
        int at = 0;
        for (int i = 0; i < skip; i++) {
            at = path.indexOf('/', at);
            while (at < path.length() && path.charAt(at) == '/') {
                at++;
            }
            at = path.indexOf('/', at);
            if (at < 0) {
                at = path.length();
                break;
            }
        }
        String rest = path.substring(at);
        return Optional.of(new Target(api.get(), stage, rest.isEmpty() ? "/" : rest));
    }

    /** A custom domain's target: the mapped API and stage, the path after the base path. */
    private static Optional<Target> mappedTarget(CustomDomains.Mapping m, String path, IamView view) {
        Optional<Api> api = view.api(m.apiId());
        if (api.isEmpty() || !api.get().stages().containsKey(m.stage())) {
            return Optional.empty();
        }
        String rest = path;
        if (!m.basePath().isEmpty()) {
            String base = "/" + m.basePath();
            if (!path.startsWith(base) || path.length() > base.length() && path.charAt(base.length()) != '/') {
                return Optional.empty();
            }
            rest = path.substring(base.length());
        }
        return Optional.of(new Target(api.get(), m.stage(), rest.isEmpty() ? "/" : rest));
    }

    /**
     * A request's target and route, resolved against one snapshot. A request is resolved when its head
     * arrives (for the body limit, and on a shared port for dispatching) and again when it is handled;
     * the listener's event loop usually handles a small request right after its head, so the last
     * resolution of each event loop is kept and reused when it is for the same request (the same
     * request id object) and the same snapshot. Anything else resolves again: the memo never changes
     * an answer, it only saves the work.
     */
    private record Resolution(String requestId, IamView snapshot, Optional<Target> target,
                              Optional<RouteTable.Match> match) {
    }

    private static final ThreadLocal<Resolution> LAST = new ThreadLocal<>();

    private Resolution resolve(InboundRequest request) {
        IamView snapshot = view.get();
        Resolution last = LAST.get();
        if (last != null && last.requestId() == request.requestId() && last.snapshot() == snapshot) {
            return last;
        }
        Optional<Target> target = target(request, snapshot);
        Optional<RouteTable.Match> match = target.flatMap(t ->
                RouteTable.match(t.api().routes().values(), request.method(), t.path()));
        Resolution r = new Resolution(request.requestId(), snapshot, target, match);
        LAST.set(r);
        return r;
    }

    /** True when {@code request} names an existing API and stage (the shared listener dispatches on this). */
    boolean claims(InboundRequest request) {
        return resolve(request).target().isPresent();
    }

    @Override
    public Future<OutboundResponse> handle(InboundRequest request) {
        Resolution resolved = resolve(request);
        IamView snapshot = resolved.snapshot();
        Optional<Target> target = resolved.target();
        Optional<RouteTable.Match> match = resolved.match();
        if (match.isEmpty()) {
            if (!recordUnmatched(request, target)) {
                metrics.request("execute-api", "none", "none", 503, false, System.nanoTime() - request.startNanos());
                return Future.succeededFuture(GatewayErrors.unavailable());
            }
            metrics.request("execute-api", "none", "none", 404, false, System.nanoTime() - request.startNanos());
            return Future.succeededFuture(GatewayErrors.notFound());
        }
        AuditSlot slot;
        try {
            slot = audit.reserve(OverflowPolicy.Endpoint.GATEWAY);
        } catch (AuditUnavailableException e) {
            metrics.request("execute-api", match.get().route().routeKey(), "none", 503, false,
                    System.nanoTime() - request.startNanos());
            return Future.succeededFuture(GatewayErrors.unavailable());
        }
        Invocation x = new Invocation(request, target.get(), match.get().route(), slot, snapshot);
        try {
            return x.run().recover(failure -> {
                LOG.error("gateway request {} failed unexpectedly", request.requestId(), failure);
                return Future.succeededFuture(x.finish(GatewayErrors.of(500, null, "Internal server error"), null));
            });
        } catch (RuntimeException e) {
            LOG.error("gateway request {} failed unexpectedly", request.requestId(), e);
            return Future.succeededFuture(x.finish(GatewayErrors.of(500, null, "Internal server error"), null));
        }
    }

    /**
     * The body limit of the route {@code head} matches: its {@code maxBodyBytes}, by default API
     * Gateway's 10 MB, at most {@value #MAX_ROUTE_BODY_BYTES} bytes; -1 when no route matches (the
     * request is not the gateway's, or will be answered 404).
     */
    long bodyLimit(InboundRequest head) {
        return resolve(head).match()
                .map(m -> Math.min(MAX_ROUTE_BODY_BYTES, longAttribute(m.route(), "maxBodyBytes", DEFAULT_MAX_BODY_BYTES)))
                .orElse(-1L);
    }

    @Override
    public long maxBodyBytes(InboundRequest head, long listenerLimit) {
        long route = bodyLimit(head);
        return route >= 0 ? route : listenerLimit;
    }

    @Override
    public OutboundResponse refuse(InboundRequest request, Refusal refusal) {
        OutboundResponse r = switch (refusal) {
            case BODY_TOO_LARGE -> GatewayErrors.tooLarge();
            case MALFORMED_REQUEST -> GatewayErrors.of(400, null, "Bad request");
            case TIMEOUT -> GatewayErrors.timeout();
            case SHUTTING_DOWN -> GatewayErrors.unavailable();
            case INTERNAL_ERROR -> GatewayErrors.of(500, null, "Internal server error");
        };
        metrics.request("execute-api", "unknown", "none", r.status(), false, System.nanoTime() - request.startNanos());
        return r;
    }

    /** The execute-api ARN of an invocation: {@code arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH}. */
    static String resourceArn(String region, Target t, String method) {
        return "arn:aws:execute-api:" + region + ":" + t.api().accountId() + ":" + t.api().apiId() + "/" + t.stage() + "/"
                + method + "/" + t.path().substring(1);
    }

    /** True when the request carries any SigV4 material (header or presigned query). */
    static boolean signed(InboundRequest request) {
        if (request.header("authorization") != null) {
            return true;
        }
        String q = request.rawQuery();
        return q != null && (q.contains("X-Amz-Credential=") || q.contains("X-Amz-Signature="));
    }

    /** One invocation's progress; its fields feed the audit event. */
    private final class Invocation {
        private final InboundRequest request;
        private final Target target;
        private final Route route;
        private final AuditSlot slot;
        private final IamView snapshot;
        private final String mode;
        private final boolean reportOnly;
        private final String resource;
        private Caller caller;
        private AuthorizationResult decision;
        private String wouldBeError;
        /** Set when the route is replay-protected and the cluster must still be asked about this signature. */
        private String sharedKey;
        private java.time.Instant sharedUntil;

        Invocation(InboundRequest request, Target target, Route route, AuditSlot slot, IamView snapshot) {
            this.request = request;
            this.target = target;
            this.route = route;
            this.slot = slot;
            this.snapshot = snapshot;
            this.mode = route.authorization() == null ? "IAM" : route.authorization().toUpperCase(Locale.ROOT);
            this.reportOnly = mode.equals("IAM_REPORT_ONLY");
            this.resource = resourceArn(region, target, request.method().toUpperCase(Locale.ROOT));
        }

        Future<OutboundResponse> run() {
            if (request.body().length > longAttribute("maxBodyBytes", DEFAULT_MAX_BODY_BYTES)) {
                return Future.succeededFuture(finish(GatewayErrors.tooLarge(), null));
            }
            if (mode.equals("NONE")) {
                return forward();
            }
            OutboundResponse denied = authorize();
            if (denied == null && sharedKey != null) {
                // Allowed, and first use on this node: ask the cluster (a worker thread, one insert).
                return shared.firstUse(sharedKey, sharedUntil)
                        .map(first -> first ? null : replayed())
                        .otherwise(e -> {
                            LOG.warn("cannot check request {} against the cluster's signatures: {}",
                                    request.requestId(), e.toString());
                            return GatewayErrors.unavailable();  // fail closed
                        })
                        .compose(this::proceed);
            }
            return proceed(denied);
        }

        /** Forwards, unless {@code denied} refuses it (report-only mode records it and forwards anyway). */
        private Future<OutboundResponse> proceed(OutboundResponse denied) {
            if (denied != null) {
                if (!reportOnly) {
                    return Future.succeededFuture(finish(denied, denied));
                }
                wouldBeError = message(denied);
            }
            return forward();
        }

        private OutboundResponse replayed() {
            metrics.count("gateway.replays", "api", target.api().apiId());
            return GatewayErrors.of(403, "AccessDeniedException",
                    "This request was already received: the route accepts each signed request once");
        }

        /** Null when the caller may invoke; otherwise the refusal. */
        private OutboundResponse authorize() {
            if (!signed(request)) {
                return GatewayErrors.missingToken();
            }
            Authenticator.Authenticated auth;
            try {
                auth = authenticator.authenticate(request, region, "execute-api");
            } catch (SigV4Exception e) {
                metrics.count("authentication.failures", "code", e.error().awsCode());
                return GatewayErrors.authentication(e.error());
            }
            caller = auth.caller();
            // The body reaches the upstream only when the signature covers it, unless the route says otherwise:
            // UNSIGNED-PAYLOAD (and the seed-only STREAMING-* forms) leave the body unauthenticated.
            if (!auth.verified().payloadVerified() && !"true".equalsIgnoreCase(route.attributes().get(ALLOW_UNSIGNED_PAYLOAD))) {
                metrics.count("authentication.failures", "code", "UnsignedPayload");
                return GatewayErrors.accessDenied("This route accepts only signed payloads: sign the body "
                        + "(X-Amz-Content-Sha256 must be its SHA-256, not UNSIGNED-PAYLOAD)");
            }
            if ("true".equalsIgnoreCase(route.attributes().get(REPLAY_PROTECTION)) && !firstUse(auth)) {
                return replayed();
            }
            List<PolicyRef> resourcePolicies = snapshot.apiResourcePolicy(target.api().apiId())
                    .map(access::ref).map(List::of).orElse(List.of());
            decision = access.authorize(caller, ACTION, resource, target.api().accountId(), Map.of(), Map.of(), Map.of(),
                    resourcePolicies, request, auth, snapshot, false);
            if (decision.allowed()) {
                return null;
            }
            String message = "User: " + caller.arn() + " is not authorized to perform: " + ACTION + " on resource: "
                    + resource + (decision.decision() == Decision.EXPLICIT_DENY ? " with an explicit deny" : "");
            return GatewayErrors.accessDenied(message);
        }

        /**
         * Replay protection: the same access key and string to sign (hence the same signature) is
         * accepted once while it could verify: the skew window, or a presigned URL's lifetime.
         */
        private boolean firstUse(Authenticator.Authenticated auth) {
            var v = auth.verified();
            java.time.Instant until = v.requestTime().plus(authenticator.clockSkew());
            if (v.expiresAt() != null && v.expiresAt().isAfter(until)) {
                until = v.expiresAt();
            }
            long now = System.nanoTime();
            long validFor = java.time.Duration.between(request.receivedAt(), until).toNanos();
            String key = v.accessKeyId() + '\n' + v.stringToSign();
            if (!replays.firstUse(key, now, now + Math.max(0, validFor))) {
                return false;  // the fast path: a replay to this node never reaches the store
            }
            if (shared != null) {
                sharedKey = key;
                sharedUntil = until;
            }
            return true;
        }

        private Future<OutboundResponse> forward() {
            long timeout = longAttribute("timeoutMillis", DEFAULT_TIMEOUT_MILLIS);
            Forwarder.Outgoing out = outgoing();
            boolean async = "async".equalsIgnoreCase(route.invocation())
                    || "Event".equalsIgnoreCase(request.header("x-amz-invocation-type"));
            if (async) {
                int attempts = (int) Math.min(Integer.MAX_VALUE,
                        longAttribute(RouteSettings.MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS));
                JobOwner owner = Delivery.owner(target.api().accountId(), target.api().apiId(), target.stage(),
                        request.requestId(), route.routeKey(), request.method(), target.path(), request.body().length);
                return delivery.enqueue(out, request.requestId(), attempts, timeout, owner,
                                RouteSettings.maxEventAge(route), target.api(), snapshot)
                        .map(jobId -> finish(OutboundResponse.json(202, JsonNodeFactory.instance.objectNode()
                                .put("requestId", request.requestId()).toString()), null))
                        .otherwise(e -> {
                            LOG.warn("cannot enqueue gateway request {}: {}", request.requestId(), e.toString());
                            return finish(GatewayErrors.of(500, null, "Internal server error"), null);
                        });
            }
            return forwarder.send(out, timeout)
                    .map(answer -> finish(response(answer), null))
                    .otherwise(e -> finish(e instanceof TimeoutException ? GatewayErrors.timeout()
                            : GatewayErrors.badGateway(), null));
        }

        private Forwarder.Outgoing outgoing() {
            List<Map.Entry<String, String>> headers = new ArrayList<>(16);
            request.forEachHeader((name, value) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!NOT_FORWARDED.contains(lower) && !lower.startsWith("x-portcullis-")) {
                    headers.add(Map.entry(name, value));
                }
            });
            if (caller != null) {
                headers.add(Map.entry("x-portcullis-principal-arn", caller.arn()));
                headers.add(Map.entry("x-portcullis-account-id", caller.accountId()));
                headers.add(Map.entry("x-portcullis-caller-id", caller.userId()));
            }
            headers.add(Map.entry("x-portcullis-request-id", request.requestId()));
            headers.add(Map.entry("x-portcullis-source-ip", request.sourceIp()));
            String base = route.upstreamUrl().endsWith("/")
                    ? route.upstreamUrl().substring(0, route.upstreamUrl().length() - 1) : route.upstreamUrl();
            String query = query(request.rawQuery());
            return new Forwarder.Outgoing(request.method(), base + target.path() + (query.isEmpty() ? "" : "?" + query),
                    headers, request.body());
        }

        private OutboundResponse response(Forwarder.Answer answer) {
            // Each header line as the upstream sent it: repeated names stay repeated (Set-Cookie cannot be joined).
            List<Map.Entry<String, String>> headers = new ArrayList<>(answer.headers().size());
            for (Map.Entry<String, String> h : answer.headers()) {
                if (!NOT_RETURNED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    headers.add(Map.entry(h.getKey(), h.getValue()));
                }
            }
            return new OutboundResponse(answer.status(), answer.headers().get("content-type"), headers, answer.body());
        }

        private long longAttribute(String name, long fallback) {
            return GatewayEndpoint.longAttribute(route, name, fallback);
        }
        /** Records the audit event and the metric; {@code refusal} is the error that was (or would have been) sent. */
        OutboundResponse finish(OutboundResponse response, OutboundResponse refusal) {
            String errorCode = null;
            String errorMessage = null;
            if (refusal != null) {
                errorCode = refusal.header("x-amzn-ErrorType");
                errorMessage = message(refusal);
            } else if (wouldBeError != null) {
                errorMessage = "report-only: " + wouldBeError;
            } else if (response.status() >= 500 || response.status() == 413) {
                errorCode = String.valueOf(response.status());
                errorMessage = message(response);
            }
            dev.portcullis.audit.event.Decision audited = AuditTrail.decision(decision, reportOnly);
            String outcome = audited == null ? "none" : audited.outcome().name();
            metrics.request("execute-api", route.routeKey(), outcome, response.status(), reportOnly,
                    System.nanoTime() - request.startNanos());
            String code = errorCode;
            String message = errorMessage;
            int status = response.status();
            // The slot was reserved on admission, so recording cannot be refused; building, redacting,
            // serialising and hashing the event (several µs) runs as the event loop's next task, after this
            // response has been written, instead of delaying it. Its latencyMicros then includes the write.
            io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
            if (context != null && io.vertx.core.Context.isOnEventLoopThread()) {
                context.runOnContext(v -> record(audited, code, message, status));
            } else {
                record(audited, code, message, status);
            }
            return response;
        }

        private void record(dev.portcullis.audit.event.Decision audited, String errorCode, String errorMessage,
                            int status) {
            // In canonical (sorted) key order, which the audit's writer then need not sort. The route's mode is
            // "authorizationType", API Gateway's name for it: a key named "authorization" is redacted as a secret.
            com.fasterxml.jackson.databind.node.ObjectNode params = JsonNodeFactory.instance.objectNode();
            params.put("apiId", target.api().apiId());
            params.put("authorizationType", mode);
            params.put("httpMethod", request.method());
            params.put("path", target.path());
            params.put("resource", resource);
            params.put("routeKey", route.routeKey());
            params.put("stage", target.stage());
            params.put("status", String.valueOf(status));
            String method = request.method().toUpperCase(Locale.ROOT);
            boolean readOnly = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
            try {
                slot.record(AuditTrail.event(request, EVENT_SOURCE, "Invoke", region, caller, params, audited,
                        errorCode, errorMessage, readOnly));
            } catch (RuntimeException e) {
                // The recorder has logged it and released the place; nothing else can be done for this request.
                LOG.error("the audit event of gateway request {} could not be recorded", request.requestId(), e);
            }
        }
    }

    /**
     * Audits a request that matched no API, stage or route (issue 7: one event per request, so that probing
     * for routes leaves a trace): an anonymous {@code Invoke} with {@code errorCode NotFoundException}. False
     * when the audit cannot take it, and the request is refused as a matched one would be.
     */
    private boolean recordUnmatched(InboundRequest request, Optional<Target> target) {
        AuditSlot slot;
        try {
            slot = audit.reserve(OverflowPolicy.Endpoint.GATEWAY);
        } catch (AuditUnavailableException e) {
            return false;
        }
        // In canonical (sorted) key order, as Invocation.record writes them.
        com.fasterxml.jackson.databind.node.ObjectNode params = JsonNodeFactory.instance.objectNode();
        target.ifPresent(t -> params.put("apiId", t.api().apiId()));
        params.put("httpMethod", request.method());
        params.put("path", target.map(Target::path).orElse(request.rawPath()));
        target.ifPresent(t -> params.put("stage", t.stage()));
        params.put("status", "404");
        String method = request.method().toUpperCase(Locale.ROOT);
        boolean readOnly = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        try {
            slot.record(AuditTrail.event(request, EVENT_SOURCE, "Invoke", region, null, params, null,
                    "NotFoundException", "Not Found", readOnly));
        } catch (RuntimeException e) {
            LOG.error("the audit event of gateway request {} could not be recorded", request.requestId(), e);
        }
        return true;
    }

    static final String REPLAY_PROTECTION = "replayProtection";
    static final String ALLOW_UNSIGNED_PAYLOAD = "allowUnsignedPayload";
    /** The route settings that are true or false (absent: false). */
    static final java.util.List<String> BOOLEAN_ROUTE_SETTINGS = java.util.List.of(REPLAY_PROTECTION, ALLOW_UNSIGNED_PAYLOAD);

    /** A positive whole-number route attribute, or {@code fallback} when absent or not one. */
    static long longAttribute(Route route, String name, long fallback) {
        String v = route.attributes().get(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            return n > 0 ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static String message(OutboundResponse r) {
        try {
            return JSON.readTree(r.body()).path("message").asText(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The query without presigning parameters (credentials are not forwarded). */
    static String query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (PRESIGN_PARAMS.contains(name)) {
                continue;
            }
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(pair);
        }
        return b.toString();
    }

}
