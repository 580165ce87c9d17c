package dev.portcullis.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.state.IamException;
import dev.portcullis.state.IamState;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.Api;
import dev.portcullis.state.model.PrincipalKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Declarative start-up configuration of roles and gateway APIs, until the admin API exists: a JSON
 * file named by {@code PORTCULLIS_GATEWAY_CONFIG}, applied idempotently to the first account on every
 * start (existing roles are kept and their trust policy is left alone; inline policies, APIs, stages
 * and routes are put). Shape:
 *
 * <pre>{@code
 * {"roles": [{"name": "verification-role", "path": "/", "trustPolicy": {…}, "inlinePolicies": {"name": {…}}}],
 *  "apis":  [{"apiId": "execapi01", "name": "execution", "resourcePolicy": {…}, "stages": ["prod"],
 *             "routes": [{"routeKey": "POST /execute", "upstreamUrl": "http://127.0.0.1:9100",
 *                         "authorization": "IAM", "invocation": "async",
 *                         "timeoutMillis": 29000, "maxBodyBytes": 10485760, "maxAttempts": 5,
 *                         "maxEventAgeSeconds": 21600}]}]}
 * }</pre>
 *
 * <p>A route's mode may also be given as API Gateway's {@code "authorizationType"} ({@code AWS_IAM},
 * {@code NONE}, or {@code IAM_REPORT_ONLY}); see {@link RouteSettings#mode}.
 */
public final class GatewayBootstrap {

    /** The environment variable naming the file. */
    public static final String ENV_FILE = "PORTCULLIS_GATEWAY_CONFIG";

    private static final ObjectMapper JSON = new ObjectMapper();

    private GatewayBootstrap() {
    }

    /**
     * Applies {@code file} to {@code accountId}.
     *
     * @throws IOException when the file cannot be read or parsed, or a change is refused (the message says which)
     */
    public static void apply(IamState state, String accountId, Path file) throws IOException {
        JsonNode root = JSON.readTree(Files.readAllBytes(file));
        try {
            for (JsonNode r : root.path("roles")) {
                String name = text(r, "name");
                if (state.view().role(accountId, name).isEmpty()) {
                    state.apply(Change.CreateRole.of(accountId, name, r.path("path").asText("/"),
                            document(r.get("trustPolicy"), "trustPolicy of role " + name)));
                }
                var policies = r.path("inlinePolicies").fields();
                while (policies.hasNext()) {
                    var p = policies.next();
                    state.apply(new Change.PutInlinePolicy(accountId, PrincipalKind.ROLE, name, p.getKey(),
                            document(p.getValue(), "policy " + p.getKey())));
                }
            }
            for (JsonNode a : root.path("apis")) {
                String apiId = text(a, "apiId");
                JsonNode policy = a.get("resourcePolicy");
                // Custom domains named here, on top of those the API already holds (a restart keeps them).
                Map<String, String> apiAttributes = new LinkedHashMap<>(
                        state.view().api(apiId).map(Api::attributes).orElse(Map.of()));
                for (JsonNode d : a.path("domainNames")) {
                    String domain = text(d, "domainName").toLowerCase(java.util.Locale.ROOT);
                    String basePath = d.path("basePath").asText("").replaceAll("^/+|/+$", "");
                    if (!CustomDomains.NAME.matcher(domain).matches() || !CustomDomains.BASE_PATH.matcher(basePath).matches()) {
                        throw new IOException(file + ": invalid domain name or base path: " + domain + " " + basePath);
                    }
                    apiAttributes.put(CustomDomains.PREFIX + domain,
                            new CustomDomains.Mapping(domain, apiId, text(d, "stageName"), basePath).attributeValue());
                }
                state.apply(new Change.PutApi(apiId, accountId, a.path("name").asText(apiId),
                        policy == null || policy.isNull() ? Optional.empty() : Optional.of(document(policy, "resourcePolicy")),
                        apiAttributes, Instant.now()));
                for (JsonNode s : a.path("stages")) {
                    state.apply(new Change.PutStage(apiId, s.asText(), Map.of()));
                }
                for (JsonNode route : a.path("routes")) {
                    Map<String, String> attributes = new LinkedHashMap<>();
                    for (String k : RouteSettings.NUMBERS) {
                        if (route.hasNonNull(k)) {
                            try {
                                attributes.put(k, RouteSettings.number(k, route.get(k)));
                            } catch (IllegalArgumentException e) {
                                throw new IOException(file + ": route " + route.path("routeKey").asText("") + ": "
                                        + e.getMessage());
                            }
                        }
                    }
                    for (String k : GatewayEndpoint.BOOLEAN_ROUTE_SETTINGS) {
                        if (route.has(k)) {
                            if (!route.get(k).isBoolean()) {
                                throw new IOException(file + ": route setting '" + k + "' must be true or false");
                            }
                            attributes.put(k, Boolean.toString(route.get(k).asBoolean()));
                        }
                    }
                    String key = text(route, "routeKey");
                    if (RouteTable.Pattern.parse(key).isEmpty()) {
                        throw new IOException(file + ": route key '" + key + "' is not METHOD /path or $default");
                    }
                    String mode;
                    try {
                        mode = RouteSettings.mode(route, false);
                    } catch (IllegalArgumentException e) {
                        throw new IOException(file + ": route " + key + ": " + e.getMessage());
                    }
                    state.apply(new Change.PutRoute(apiId, key, text(route, "upstreamUrl"), mode,
                            route.path("invocation").asText("sync"), attributes));
                }
            }
        } catch (IamException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IOException("gateway config: '" + field + "' is required");
        }
        return v.asText();
    }

    private static String document(JsonNode n, String what) throws IOException {
        if (n == null || n.isNull()) {
            throw new IOException("gateway config: " + what + " is required");
        }
        return n.isTextual() ? n.asText() : n.toString();
    }
}
