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
import dev.portcullis.state.jobs.JobInfo;
import dev.portcullis.state.jobs.JobOwner;
import dev.portcullis.state.jobs.JobQueue;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
 * ({@code apiId}, {@code stageName}), {@code DeleteStage} ({@code apiId}, {@code stageName}; refused with
 * {@code ConflictException} while a custom domain maps the stage; the API's routes stay, its async
 * invocations still queued for the stage are dead-lettered undelivered), {@code PutRoute} ({@code apiId}, {@code routeKey},
 * {@code upstreamUrl}, {@code authorization} (IAM, IAM_REPORT_ONLY, NONE; or API Gateway's
 * {@code authorizationType}: AWS_IAM, NONE, see {@link RouteSettings#mode}), {@code invocation},
 * {@code timeoutMillis}, {@code replayProtection}, {@code allowUnsignedPayload},
 * {@code maxBodyBytes}, {@code maxAttempts}, {@code maxEventAgeSeconds} (60–21600, default 21600)),
 * {@code DeleteRoute} ({@code apiId}, {@code routeKey}),
 * {@code ListDeadLetters} ({@code apiId}, optional {@code stageName}, {@code maxResults} 1–100, default 50,
 * {@code nextToken}), {@code RedriveDeadLetters} ({@code apiId}, and {@code invocationIds} (1–100) or
 * {@code all: true}, optional {@code stageName} with {@code all}).
 *
 * <p>Dead letters are the async invocations the delivery worker gave up on. They are filtered by
 * the job table's indexed owner columns (the API's account and id, the stage), never by reading
 * payloads, and listed without their body or headers. A redrive puts them back to pending with a fresh
 * set of attempts and the same payload, so the upstream sees the same {@code x-portcullis-request-id}.
 * The dead letters of a deleted API can still be listed (in the caller's account) but not redriven.
 * Once an API is created again under the same id, the dead letters of the earlier one (those whose job
 * recorded another creation time of the API, see {@link Delivery#topicVersion}) are neither listed nor
 * redriven under it: a redrive by id answers as for an unknown id, and {@code all: true} skips them. Jobs
 * that recorded no creation time (enqueued by an older node) are listed and redriven as before.
 */
final class GatewayAdmin implements JsonApiEndpoint.Operations {

    static final String TARGET_PREFIX = "PortcullisGateway.";
    private static final Set<String> ACTIONS = Set.of("CreateApi", "UpdateApi", "GetApi", "ListApis", "DeleteApi",
            "PutStage", "DeleteStage", "PutRoute", "DeleteRoute", "PutDomainName", "DeleteDomainName", "ListDeadLetters", "RedriveDeadLetters");
    private static final Set<String> READ_ONLY = Set.of("GetApi", "ListApis", "ListDeadLetters");
    static final int DEFAULT_MAX_RESULTS = 50;
    static final int MAX_RESULTS = 100;
    static final int MAX_REDRIVE_IDS = 100;
    private static final String[] AUDITED_FIELDS = {"name", "stageName", "routeKey", "upstreamUrl", "authorization",
        "invocation", "all", "maxResults"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IamState state;
    private final String region;
    private final Runnable redriven;

    /** {@code redriven} runs after a redrive moved jobs back to pending (it wakes the delivery worker). */
    GatewayAdmin(IamState state, String region, Runnable redriven) {
        this.state = state;
        this.region = region;
        this.redriven = redriven;
    }

    /** The admin API's endpoint on a node's pipeline. */
    static JsonApiEndpoint endpoint(Vertx vertx, IamState state, Authenticator authenticator, AccessControl access,
                                    AuditRecorder audit, ServerMetrics metrics, String region, Runnable redriven) {
        return new JsonApiEndpoint(TARGET_PREFIX, new GatewayAdmin(state, region, redriven), vertx, authenticator,
                access, state::view, audit, metrics, region);
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
            if (body.hasNonNull(k) && body.get(k).isValueNode()) {
                // The route's mode is recorded as "authorizationType", as gateway invocations record it and as
                // API Gateway names it: the audit redacts any parameter named "authorization" as a credential.
                params.put(k.equals("authorization") ? "authorizationType" : k, body.get(k).asText());
            }
        }
        // API Gateway's own input for it, as given (it is the one recorded when both are).
        for (String k : RouteSettings.AUTHORIZATION_TYPE_FIELDS) {
            if (body.hasNonNull(k) && body.get(k).isValueNode()) {
                params.put("authorizationType", body.get(k).asText());
                break;
            }
        }
        JsonNode ids = body.get("invocationIds");
        if (ids != null && ids.isArray()) {
            List<String> listed = new ArrayList<>();
            for (int i = 0; i < Math.min(ids.size(), MAX_REDRIVE_IDS); i++) {
                listed.add(ids.get(i).asText());
            }
            params.put("invocationIds", String.join(",", listed));
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
                        // An update keeps what the API already holds (its custom domain mappings).
                        Map<String, String> kept = state.view().api(apiId).map(Api::attributes).orElse(Map.of());
                        state.apply(new Change.PutApi(apiId, account, body.path("name").asText(apiId),
                                policy == null || policy.isNull() ? Optional.empty()
                                        : Optional.of(policy.isTextual() ? policy.asText() : policy.toString()),
                                kept, Instant.now()), caller.arn());
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
                    case "DeleteStage" -> {
                        Api api = state.view().api(apiId).orElseThrow(this::notFound);
                        String stage = required("stageName");
                        if (!api.stages().containsKey(stage)) {
                            throw new JsonApiException("NotFoundException", "Invalid stage identifier specified", 404);
                        }
                        for (CustomDomains.Mapping m : CustomDomains.mappings(api)) {
                            if (m.stage().equals(stage)) {
                                throw new JsonApiException("ConflictException", "The stage " + stage
                                        + " is mapped by the custom domain " + m.domainName()
                                        + "; delete the mapping first", 409);
                            }
                        }
                        state.apply(new Change.DeleteStage(apiId, stage), caller.arn());
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
                        String authorization;
                        try {
                            authorization = RouteSettings.mode(body, true);
                        } catch (IllegalArgumentException e) {
                            throw JsonApiException.validation(e.getMessage());
                        }
                        String invocation = body.path("invocation").asText("sync");
                        if (!Set.of("sync", "async").contains(invocation)) {
                            throw JsonApiException.validation("invocation must be sync or async");
                        }
                        Map<String, String> attributes = new LinkedHashMap<>();
                        for (String k : RouteSettings.NUMBERS) {
                            if (body.hasNonNull(k)) {
                                try {
                                    attributes.put(k, RouteSettings.number(k, body.get(k)));
                                } catch (IllegalArgumentException e) {
                                    throw JsonApiException.validation(e.getMessage());
                                }
                            }
                        }
                        for (String k : GatewayEndpoint.BOOLEAN_ROUTE_SETTINGS) {
                            if (body.hasNonNull(k)) {
                                if (!body.get(k).isBoolean()) {
                                    throw JsonApiException.validation(k + " must be true or false");
                                }
                                attributes.put(k, Boolean.toString(body.get(k).asBoolean()));
                            }
                        }
                        state.apply(new Change.PutRoute(apiId, key, upstream, authorization, invocation, attributes),
                                caller.arn());
                    }
                    case "PutDomainName", "DeleteDomainName" -> {
                        Api api = state.view().api(apiId).orElseThrow(this::notFound);
                        String domain = required("domainName").toLowerCase(java.util.Locale.ROOT);
                        if (!CustomDomains.NAME.matcher(domain).matches()) {
                            throw JsonApiException.validation("Invalid domain name " + domain);
                        }
                        Map<String, String> attributes = new LinkedHashMap<>(api.attributes());
                        if (action.equals("PutDomainName")) {
                            String stage = required("stageName");
                            if (!api.stages().containsKey(stage)) {
                                throw new JsonApiException("NotFoundException", "Invalid stage identifier specified", 404);
                            }
                            String basePath = body.path("basePath").asText("").replaceAll("^/+|/+$", "");
                            if (!CustomDomains.BASE_PATH.matcher(basePath).matches()) {
                                throw JsonApiException.validation("Invalid base path " + basePath);
                            }
                            attributes.put(CustomDomains.PREFIX + domain,
                                    new CustomDomains.Mapping(domain, apiId, stage, basePath).attributeValue());
                        } else if (attributes.remove(CustomDomains.PREFIX + domain) == null) {
                            throw new JsonApiException("NotFoundException", "Invalid domain name identifier specified", 404);
                        }
                        state.apply(new Change.PutApi(apiId, api.accountId(), api.name(), api.resourcePolicy(),
                                attributes, Instant.now()), caller.arn());
                    }
                    case "DeleteRoute" -> {
                        requireApi();
                        state.apply(new Change.DeleteRoute(apiId, required("routeKey")), caller.arn());
                    }
                    case "ListDeadLetters" -> {
                        return listDeadLetters();
                    }
                    case "RedriveDeadLetters" -> {
                        Api api = state.view().api(apiId).orElse(null);
                        if (api == null) {
                            throw deletedOrUnknown();
                        }
                        return redriveDeadLetters(api);
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

        /** The dead letters of this API (and stage, when named), a page at a time. */
        private ObjectNode listDeadLetters() throws JsonApiException {
            String stage = optional("stageName");
            int max = DEFAULT_MAX_RESULTS;
            if (body.has("maxResults")) {
                JsonNode m = body.get("maxResults");
                if (!m.canConvertToInt() || !m.isIntegralNumber() || m.asInt() < 1 || m.asInt() > MAX_RESULTS) {
                    throw JsonApiException.validation("maxResults must be an integer from 1 to " + MAX_RESULTS);
                }
                max = m.asInt();
            }
            JobInfo.Cursor after = null;
            if (body.hasNonNull("nextToken")) {
                after = DeadLetterToken.decode(body.get("nextToken").asText())
                        .orElseThrow(() -> JsonApiException.validation("Invalid nextToken"));
            }
            // An existing API lists its own dead letters only, not those of an earlier API under its id;
            // a deleted one's are listed whatever API they were.
            JobOwner owner = JobOwner.of(account, apiId, stage)
                    .withTopicVersion(state.view().api(apiId).map(Delivery::topicVersion).orElse(null));
            List<JobInfo> page = state.jobs().deadLetters(Delivery.QUEUE, owner, after, max + 1);
            ObjectNode out = JSON.createObjectNode();
            ArrayNode items = out.putArray("items");
            for (JobInfo j : page.subList(0, Math.min(max, page.size()))) {
                items.add(deadLetter(j));
            }
            if (page.size() > max) {
                out.put("nextToken", DeadLetterToken.encode(page.get(max - 1).cursor()));
            }
            return out;
        }

        /**
         * Redrives the named dead letters, or all of them (a batch at a time), of {@code api}: not those of an
         * earlier API deleted and created again under its id, which it would only dead-letter again.
         */
        private ObjectNode redriveDeadLetters(Api api) throws JsonApiException {
            Long version = Delivery.topicVersion(api);
            boolean all = body.path("all").asBoolean(false);
            if (body.has("all") && !body.get("all").isBoolean()) {
                throw JsonApiException.validation("all must be true or false");
            }
            JsonNode ids = body.get("invocationIds");
            boolean named = ids != null && !ids.isNull();
            if (all == named) {
                throw JsonApiException.validation("Give either invocationIds or all: true");
            }
            ObjectNode out = JSON.createObjectNode();
            ArrayNode redrivenIds = out.putArray("redriven");
            ArrayNode failed = out.putArray("failed");
            if (all) {
                List<String> done = state.jobs().redriveAll(Delivery.QUEUE, JobOwner.of(account, apiId,
                        optional("stageName")).withTopicVersion(version), JobQueue.MAX_REDRIVE_BATCH);
                done.forEach(redrivenIds::add);
                // A full batch may have left more behind: the caller repeats until this is false.
                out.put("truncated", done.size() == JobQueue.MAX_REDRIVE_BATCH);
            } else {
                if (body.hasNonNull("stageName")) {
                    throw JsonApiException.validation("stageName narrows all: true only");
                }
                if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_REDRIVE_IDS) {
                    throw JsonApiException.validation("invocationIds must be a list of 1 to " + MAX_REDRIVE_IDS + " ids");
                }
                Set<String> wanted = new LinkedHashSet<>();
                for (JsonNode id : ids) {
                    if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > 64) {
                        throw JsonApiException.validation("invocationIds must be invocation id strings");
                    }
                    wanted.add(id.asText());
                }
                Set<String> done = new LinkedHashSet<>(state.jobs().redrive(Delivery.QUEUE,
                        JobOwner.of(account, apiId, null).withTopicVersion(version), wanted));
                for (String id : wanted) {
                    if (done.contains(id)) {
                        redrivenIds.add(id);
                    } else {
                        failed.addObject().put("invocationId", id).put("code", "NotDeadLettered")
                                .put("message", "No dead-lettered invocation " + id + " in API " + apiId
                                        + " (unknown, another API's, or not dead)");
                    }
                }
            }
            if (!redrivenIds.isEmpty()) {
                redriven.run();
            }
            return out;
        }

        private String optional(String field) throws JsonApiException {
            JsonNode v = body.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                throw JsonApiException.validation(field + " must be a non-empty string");
            }
            return v.asText();
        }

        private void requireApi() throws JsonApiException {
            if (state.view().api(apiId).isEmpty()) {
                throw notFound();
            }
        }

        /**
         * The answer to redriving the dead letters of an API that does not exist: when the caller's account
         * still holds some (the API was deleted), the message says why they cannot be redriven (their
         * upstream and routes are gone with the API).
         */
        private JsonApiException deletedOrUnknown() {
            if (state.jobs().deadLetters(Delivery.QUEUE, JobOwner.of(account, apiId, null), null, 1).isEmpty()) {
                return notFound();
            }
            return new JsonApiException("NotFoundException", "Invalid API identifier specified " + apiId
                    + ": the API was deleted; its dead letters can be listed but not redriven", 404);
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

    /** A dead letter as listed: ids, route, attempts, error, times, body size; never the body or headers. */
    static ObjectNode deadLetter(JobInfo j) {
        ObjectNode n = JSON.createObjectNode();
        n.put("invocationId", j.id());
        JsonNode summary = JSON.createObjectNode();
        try {
            if (j.owner().summary() != null) {
                summary = JSON.readTree(j.owner().summary());
            }
        } catch (java.io.IOException e) {
            // A summary is written by Delivery.owner; an unreadable one leaves its fields out.
        }
        n.put("requestId", summary.path("requestId").asText(null));
        if (j.owner().label() != null) {
            n.put("stageName", j.owner().label());
        }
        n.put("routeKey", summary.path("routeKey").asText(null));
        n.put("httpMethod", summary.path("httpMethod").asText(null));
        n.put("path", summary.path("path").asText(null));
        n.put("attempts", j.attempts());
        n.put("maxAttempts", j.maxAttempts());
        n.put("lastError", j.lastError().orElse(null));
        n.put("enqueuedAt", j.createdAt().toString());
        n.put("deadLetteredAt", j.updatedAt().toString());
        if (summary.has("bodySize")) {
            n.put("bodySize", summary.get("bodySize").asLong());
        }
        return n;
    }

    static ObjectNode describe(Api a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("apiId", a.apiId()).put("name", a.name()).put("accountId", a.accountId())
                .put("createdAt", a.createdAt().toString());
        a.resourcePolicy().ifPresent(p -> n.put("resourcePolicy", p));
        ArrayNode domains = n.putArray("domainNames");
        for (CustomDomains.Mapping m : CustomDomains.mappings(a)) {
            domains.addObject().put("domainName", m.domainName()).put("stageName", m.stage())
                    .put("basePath", m.basePath());
        }
        ArrayNode stages = n.putArray("stages");
        a.stages().keySet().stream().sorted().forEach(stages::add);
        ArrayNode routes = n.putArray("routes");
        a.routes().values().stream().sorted(java.util.Comparator.comparing(Route::routeKey)).forEach(r -> {
            ObjectNode rn = routes.addObject().put("routeKey", r.routeKey()).put("upstreamUrl", r.upstreamUrl())
                    .put("authorization", r.authorization())
                    .put("authorizationType", RouteSettings.authorizationType(r))
                    .put("invocation", r.invocation());
            r.attributes().forEach(rn::put);
            rn.put(RouteSettings.MAX_EVENT_AGE_SECONDS, RouteSettings.maxEventAgeSeconds(r));  // it applies, set or not
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
