package dev.portcullis.server.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.audit.recorder.AuditSlot;
import dev.portcullis.audit.recorder.AuditUnavailableException;
import dev.portcullis.audit.recorder.OverflowPolicy;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.sigv4.SigV4Exception;
import dev.portcullis.server.http.HttpService;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.server.http.OutboundResponse;
import dev.portcullis.server.http.Refusal;
import dev.portcullis.server.metrics.ServerMetrics;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.server.query.QueryParameters;
import dev.portcullis.server.query.QueryXml;
import dev.portcullis.state.IamException;
import dev.portcullis.state.view.IamView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API listener's service: IAM and STS over the AWS Query protocol, plus {@code /healthz} and
 * {@code /metrics}. Every Query request takes the same path: reserve an audit slot → authenticate →
 * parse → resolve the operation → authorize → run → answer → record the audit event.
 *
 * <p>Threading: everything up to the handler runs on the event loop (memory only); handlers of
 * mutating operations run on Vert.x worker threads.
 */
public final class QueryEndpoint implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(QueryEndpoint.class);

    private final Vertx vertx;
    private final List<QueryApi> apis;
    private final Authenticator authenticator;
    private final AccessControl access;
    private final Supplier<IamView> view;
    private final AuditRecorder audit;
    private final ServerMetrics metrics;
    private final String region;
    private final Supplier<String> health;
    private final LastUsedTracker lastUsed;

    public QueryEndpoint(Vertx vertx, List<QueryApi> apis, Authenticator authenticator, AccessControl access,
                         Supplier<IamView> view, AuditRecorder audit, ServerMetrics metrics, String region,
                         Supplier<String> health, LastUsedTracker lastUsed) {
        this.lastUsed = lastUsed;
        this.vertx = vertx;
        this.apis = List.copyOf(apis);
        this.authenticator = authenticator;
        this.access = access;
        this.view = view;
        this.audit = audit;
        this.metrics = metrics;
        this.region = region;
        this.health = health;
    }

    @Override
    public Future<OutboundResponse> handle(InboundRequest request) {
        if (request.method().equals("GET") && request.rawPath().equals("/healthz")) {
            return Future.succeededFuture(OutboundResponse.json(200, health.get()));
        }
        if (request.method().equals("GET") && request.rawPath().equals("/metrics")) {
            return Future.succeededFuture(new OutboundResponse(200, "text/plain; version=0.0.4; charset=utf-8", Map.of(),
                    metrics.scrape().getBytes(StandardCharsets.UTF_8)));
        }
        QueryApi api = route(request);
        AuditSlot slot;
        try {
            slot = audit.reserve(api.service().equals("sts") ? OverflowPolicy.Endpoint.STS : OverflowPolicy.Endpoint.IAM);
        } catch (AuditUnavailableException e) {
            metrics.request(api.service(), "unknown", "none", 503, false, System.nanoTime() - request.startNanos());
            return Future.succeededFuture(error(api, request, new QueryException("ServiceUnavailable",
                    "The audit trail is unavailable; the request was not processed. Retry later.", 503)));
        }
        Exchange x = new Exchange(api, request, slot);
        try {
            return x.run().recover(failure -> {
                if (failure instanceof QueryException qe) {
                    return Future.succeededFuture(x.fail(qe));
                }
                LOG.error("request {} ({}) failed unexpectedly", request.requestId(), x.action, failure);
                return Future.succeededFuture(x.fail(new QueryException("InternalFailure",
                        "The request processing has failed because of an unknown error.", 500)));
            });
        } catch (QueryException e) {
            return Future.succeededFuture(x.fail(e));
        }
    }

    /** The API named by the credential scope; failing that, the one that has the action; failing that, STS. */
    private QueryApi route(InboundRequest request) {
        Optional<String> service = Authenticator.scopeService(request);
        if (service.isPresent()) {
            for (QueryApi api : apis) {
                if (api.service().equals(service.get())) {
                    return api;
                }
            }
        }
        String action = actionHint(request);
        for (QueryApi api : apis) {
            if (action != null && api.handles(action)) {
                return api;
            }
        }
        return apis.get(apis.size() - 1);
    }

    private static String actionHint(InboundRequest request) {
        try {
            return params(request).optional("Action").orElse(null);
        } catch (QueryException e) {
            return null;
        }
    }

    static QueryParameters params(InboundRequest request) {
        if (request.method().equals("GET") || request.body().length == 0) {
            String query = request.rawQuery();
            return QueryParameters.parse(query == null ? new byte[0] : query.getBytes(StandardCharsets.ISO_8859_1));
        }
        String type = request.header("content-type");
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new QueryException("UnsupportedMediaType",
                    "The Query protocol takes application/x-www-form-urlencoded bodies, not " + type, 415);
        }
        return QueryParameters.parse(request.body());
    }

    private OutboundResponse error(QueryApi api, InboundRequest request, QueryException e) {
        return OutboundResponse.xml(e.status(), QueryXml.error(e, api.namespace(), request.requestId()));
    }

    @Override
    public OutboundResponse refuse(InboundRequest request, Refusal refusal) {
        QueryApi api = apis.get(0);
        QueryException e = switch (refusal) {
            case MALFORMED_REQUEST -> new QueryException("MalformedRequest",
                    "The request line or headers are malformed or larger than 64 KiB", 400);
            case BODY_TOO_LARGE -> new QueryException("RequestEntityTooLarge",
                    "Request body is larger than the limit this endpoint accepts", 413);
            case TIMEOUT -> new QueryException("ServiceUnavailable", "The request timed out; retry later.", 503);
            case SHUTTING_DOWN -> new QueryException("ServiceUnavailable", "This node is shutting down; retry.", 503);
            case INTERNAL_ERROR -> new QueryException("InternalFailure",
                    "The request processing has failed because of an unknown error.", 500);
        };
        metrics.request("http", "unknown", "none", e.status(), false, System.nanoTime() - request.startNanos());
        return error(api, request, e);
    }

    /** One request's progress through the pipeline; its fields feed the audit event. */
    private final class Exchange {
        private final QueryApi api;
        private final InboundRequest request;
        private final AuditSlot slot;
        private String action = "unknown";
        private Caller caller;
        private QueryParameters params;
        private AuthorizationResult decision;
        private boolean readOnly = true;

        Exchange(QueryApi api, InboundRequest request, AuditSlot slot) {
            this.api = api;
            this.request = request;
            this.slot = slot;
        }

        Future<OutboundResponse> run() {
            Authenticator.Authenticated auth;
            try {
                auth = authenticator.authenticate(request, signingRegion(), api.service());
            } catch (SigV4Exception e) {
                metrics.count("authentication.failures", "code", e.error().awsCode());
                safeParams();
                throw new QueryException(e.error().awsCode(), e.error().message(), e.error().httpStatus());
            }
            caller = auth.caller();
            if (lastUsed != null) {
                lastUsed.accessKeyUsed(auth.verified().accessKeyId(), api.service(), auth.verified().region());
            }
            params = params(request);
            action = params.optional("Action").orElseThrow(() -> new QueryException("MissingAction",
                    "Missing Action", 400));
            String version = params.optional("Version").orElse(api.version());
            if (!version.equals(api.version())) {
                throw new QueryException("InvalidAction", "Could not find operation " + action + " for version " + version, 400);
            }
            IamView snapshot = view.get();
            Operation op = api.resolve(action, params, caller, snapshot);
            readOnly = op.readOnly();
            decision = access.authorize(caller, op, request, auth, snapshot, false);
            if (!decision.allowed()) {
                throw new QueryException("AccessDenied",
                        Denials.message(caller.arn(), op.action(), op.resource(), decision), 403);
            }
            RequestScope scope = new RequestScope(caller, params, snapshot, request);
            if (!op.blocking()) {
                return Future.succeededFuture(ok(runHandler(op, scope)));
            }
            return vertx.executeBlocking(() -> runHandler(op, scope), false).map(this::ok);
        }

        /**
         * IAM is global: the AWS CLI signs it for us-east-1 whatever its region, and SDKs configured with
         * the {@code aws-global} pseudo-region sign it for that, so any scope region is accepted (the
         * scope's service must still be {@code iam}). STS is regional.
         */
        private String signingRegion() {
            if (api.service().equals("iam")) {
                return null;
            }
            return region;
        }

        private String runHandler(Operation op, RequestScope scope) {
            try {
                return ChangeAudit.during(request, caller, () -> op.handler().run(scope));
            } catch (IamException e) {
                throw new QueryException(e.code(), e.getMessage(), e.httpStatus());
            }
        }

        private void safeParams() {
            try {
                params = params(request);
                action = params.optional("Action").orElse(action);
            } catch (QueryException ignored) {
                // The parameters are only wanted for the audit event; the authentication error stands.
            }
        }

        OutboundResponse ok(String xml) {
            // As CloudTrail, a change's event carries what it answered (secrets redacted by the event);
            // read-only calls carry none.
            finish(200, null, null, readOnly ? null : api.responseElements(action, xml));
            return OutboundResponse.xml(200, xml);
        }

        OutboundResponse fail(QueryException e) {
            finish(e.status(), e.code(), e.getMessage(), null);
            return error(api, request, e);
        }

        private void finish(int status, String errorCode, String errorMessage, ObjectNode responseElements) {
            String outcome = decision == null ? "none" : AuditTrail.decision(decision, false).outcome().name();
            metrics.request(api.service(), action, outcome, status, false, System.nanoTime() - request.startNanos());
            AuditEvent event = AuditTrail.event(request, api.eventSource(), action, region, caller,
                    params == null ? null : params.asMap(), decision, false, errorCode, errorMessage, readOnly);
            slot.record(responseElements == null ? event : event.withResponseElements(responseElements));
        }
    }
}
