package dev.portcullis.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.server.metrics.ServerMetrics;
import dev.portcullis.server.pipeline.AccessControl;
import dev.portcullis.server.pipeline.Authenticator;
import dev.portcullis.server.pipeline.Caller;
import dev.portcullis.server.pipeline.JsonApiEndpoint;
import dev.portcullis.server.pipeline.JsonApiEndpoint.JsonApiException;
import dev.portcullis.state.IamException;
import dev.portcullis.state.IamState;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.Api;
import dev.portcullis.state.model.Route;
import dev.portcullis.state.view.IamView;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's admin API, {@code X-Amz-Target: PortcullisGateway.ACTION} on the one pipeline of
 * {@link JsonApiEndpoint}: each action is authorized as {@code portcullis:ACTION} on
 * {@code arn:aws:portcullis:REGION:ACCOUNT:api/API_ID} ({@code *} for {@code ListApis}) and audited.
 *
 * <p>Actions: {@code CreateApi} ({@code name}, optional {@code apiId}, {@code resourcePolicy}),
 * {@code UpdateApi}, {@code GetApi}, {@code ListApis}, {@code DeleteApi}, {@code PutStage}
 * ({@code apiId}, {@code stageName}), {@code PutRoute} ({@code apiId}, {@code routeKey},
 * {@code upstreamUrl}, {@code authorization}, {@code invocation}, {@code timeoutMillis},
 * {@code maxBodyBytes}, {@code maxAttempts}), {@code DeleteRoute} ({@code apiId}, {@code routeKey}).
 */
final class GatewayAdmin implements JsonApiEndpoint.Operations {

    static final String TARGET_PREFIX = "PortcullisGateway.";
    private static final Set<String> ACTIONS = Set.of("CreateApi", "UpdateApi", "GetApi", "ListApis", "DeleteApi",
            "PutStage", "PutRoute", "DeleteRoute");
    private static final Set<String> READ_ONLY = Set.of("GetApi", "ListApis");
    private static final String[] AUDITED_FIELDS = {"name", "stageName", "routeKey", "upstreamUrl", "authorization",
        "invocation"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IamState state;
    private final String region;

    GatewayAdmin(IamState state, String region) {
        this.state = state;
        this.region = region;
    }

    /** The admin API's endpoint on a node's pipeline. */
    static JsonApiEndpoint endpoint(Vertx vertx, IamState state, Authenticator authenticator, AccessControl access,
                                    AuditRecorder audit, ServerMetrics metrics, String region) {
        return new JsonApiEndpoint(TARGET_PREFIX, new GatewayAdmin(state, region), vertx, authenticator, access,
                state::view, audit, metrics, region);
    }

    @Override
    public Set<String> actions() {
        return ACTIONS;
    }

    @Override
    public boolean readOnly(String action) {
        return READ_ONLY.contains(action);
    }

    @Override
    public Map<String, String> auditParameters(String action, JsonNode body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body.hasNonNull("apiId")) {
            params.put("apiId", body.get("apiId").asText());
        }
        for (String k : AUDITED_FIELDS) {
            if (body.hasNonNull(k)) {
                params.put(k, body.get(k).asText());
            }
        }
        return params;
    }

    @Override
    public JsonApiEndpoint.Prepared prepare(String action, JsonNode body, Caller caller, IamView view)
            throws JsonApiException {
        String apiId = null;
        if (action.equals("CreateApi")) {
            apiId = body.hasNonNull("apiId") ? body.get("apiId").asText() : newApiId();
        } else if (!action.equals("ListApis")) {
            apiId = body.path("apiId").asText("");
            if (apiId.isEmpty()) {
                throw JsonApiException.validation("apiId is required");
            }
        }
        String account = apiId == null ? caller.accountId()
                : view.api(apiId).map(Api::accountId).orElse(caller.accountId());
        String resource = apiId == null ? "*" : "arn:aws:portcullis:" + region + ":" + account + ":api/" + apiId;
        return new Call(action, body, caller, apiId, account, resource);
    }

    private final class Call implements JsonApiEndpoint.Prepared {
        final String action;
        final JsonNode body;
        final Caller caller;
        final String apiId;
        final String account;
        final String resource;

        Call(String action, JsonNode body, Caller caller, String apiId, String account, String resource) {
            this.action = action;
            this.body = body;
            this.caller = caller;
            this.apiId = apiId;
            this.account = account;
            this.resource = resource;
        }

        @Override
        public String resource() {
            return resource;
        }

        @Override
        public String account() {
            return account;
        }

        @Override
        public Map<String, String> auditParameters() {
            Map<String, String> params = GatewayAdmin.this.auditParameters(action, body);
            if (apiId != null) {
                params.put("apiId", apiId);
            }
            return params;
        }

        @Override
        public ObjectNode execute() throws JsonApiException {
            try {
                switch (action) {
                    case "CreateApi", "UpdateApi" -> {
                        if (action.equals("CreateApi") && state.view().api(apiId).isPresent()) {
                            throw new JsonApiException("ConflictException", "API " + apiId + " already exists", 409);
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
                            throw JsonApiException.validation("Invalid stage name " + stage);
                        }
                        state.apply(new Change.PutStage(apiId, stage, Map.of()), caller.arn());
                    }
                    case "PutRoute" -> {
                        requireApi();
                        String key = required("routeKey");
                        if (RouteTable.Pattern.parse(key).isEmpty()) {
                            throw JsonApiException.validation(
                                    "Invalid route key " + key + ": expected METHOD /path or $default");
                        }
                        String upstream = required("upstreamUrl");
                        if (!upstream.matches("https?://[^\\s]+")) {
                            throw JsonApiException.validation("upstreamUrl must be an http(s) URL");
                        }
                        String authorization = body.path("authorization").asText("IAM");
                        if (!Set.of("IAM", "IAM_REPORT_ONLY", "NONE").contains(authorization)) {
                            throw JsonApiException.validation("authorization must be IAM, IAM_REPORT_ONLY or NONE");
                        }
                        String invocation = body.path("invocation").asText("sync");
                        if (!Set.of("sync", "async").contains(invocation)) {
                            throw JsonApiException.validation("invocation must be sync or async");
                        }
                        Map<String, String> attributes = new LinkedHashMap<>();
                        for (String k : new String[] {"timeoutMillis", "maxBodyBytes", "maxAttempts"}) {
                            if (body.hasNonNull(k)) {
                                if (!body.get(k).canConvertToLong() || body.get(k).asLong() <= 0) {
                                    throw JsonApiException.validation(k + " must be a positive integer");
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
                throw new JsonApiException(e.code().endsWith("Exception") ? e.code() : e.code() + "Exception",
                        e.getMessage(), e.httpStatus());
            }
        }

        private void requireApi() throws JsonApiException {
            if (state.view().api(apiId).isEmpty()) {
                throw notFound();
            }
        }

        private JsonApiException notFound() {
            return new JsonApiException("NotFoundException", "Invalid API identifier specified " + apiId, 404);
        }

        private String required(String field) throws JsonApiException {
            String v = body.path(field).asText("");
            if (v.isBlank()) {
                throw JsonApiException.validation(field + " is required");
            }
            return v;
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
