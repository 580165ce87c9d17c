package dev.portcullis.server.gateway;

import static dev.portcullis.server.testing.NodeUnderTest.ACCOUNT;
import static dev.portcullis.server.testing.NodeUnderTest.ROOT;
import static dev.portcullis.server.testing.SignedHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.portcullis.server.testing.NodeUnderTest;
import dev.portcullis.server.testing.SignedHttp;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.PrincipalKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The gateway admin API (AWS JSON 1.1, {@code X-Amz-Target: PortcullisGateway.…}) on the one pipeline. */
class GatewayAdminTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final NodeUnderTest node = NodeUnderTest.withFlags().upstream(GatewayAdminTest::pong);
    static AwsCredentialsIdentity operator;
    static AwsCredentialsIdentity intern;

    /** The upstream: {@code pong} to every request. */
    static void pong(HttpExchange ex) throws IOException {
        byte[] b = "pong".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @BeforeAll
    static void start() throws Exception {
        var state = node.state();
        state.apply(Change.CreateUser.of(ACCOUNT, "gateway-operator", "/"));
        state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "gateway-operator", "routes", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["portcullis:PutRoute","portcullis:GetApi"],
                 "Resource":"arn:aws:portcullis:us-east-1:111122223333:api/*"}]}"""));
        operator = SignedHttp.identity(state.createAccessKey(ACCOUNT, "gateway-operator"));
        state.apply(Change.CreateUser.of(ACCOUNT, "intern", "/"));
        intern = SignedHttp.identity(state.createAccessKey(ACCOUNT, "intern"));
    }

    static HttpResponse<String> call(String action, String body, AwsCredentialsIdentity who) throws Exception {
        return node.http().call("PortcullisGateway." + action, body, who);
    }

    @Test
    void anAdministratorCreatesAnApiThatServesAtOnce() throws Exception {
        HttpResponse<String> created = call("CreateApi", "{\"name\":\"status\",\"apiId\":\"statusapi\"}", ROOT);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(json(created).get("apiId").asText()).isEqualTo("statusapi");
        assertThat(call("PutStage", "{\"apiId\":\"statusapi\",\"stageName\":\"v1\"}", ROOT).statusCode()).isEqualTo(200);
        HttpResponse<String> route = call("PutRoute", "{\"apiId\":\"statusapi\",\"routeKey\":\"GET /ping\",\"upstreamUrl\":"
                + "\"http://127.0.0.1:" + node.upstreamPort() + "\",\"authorization\":\"NONE\",\"timeoutMillis\":2000}",
                operator);
        assertThat(route.statusCode()).as(route.body()).isEqualTo(200);
        assertThat(json(route).get("routes").get(0).get("timeoutMillis").asText()).isEqualTo("2000");

        HttpResponse<String> ping = node.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                + "/statusapi/v1/ping")).build());
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("pong");

        JsonNode list = json(call("ListApis", "{}", ROOT));
        assertThat(list.get("items").findValuesAsText("apiId")).contains("statusapi");
    }

    @Test
    void aCallerWithoutPermissionIsRefusedWithTheActionAndResource() throws Exception {
        HttpResponse<String> r = call("CreateApi", "{\"name\":\"x\",\"apiId\":\"internapi\"}", intern);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("__type").asText()).isEqualTo("AccessDeniedException");
        assertThat(json(r).get("message").asText()).isEqualTo("User: arn:aws:iam::111122223333:user/intern is not "
                + "authorized to perform: portcullis:CreateApi on resource: arn:aws:portcullis:us-east-1:111122223333:"
                + "api/internapi because no identity-based policy allows the portcullis:CreateApi action");
        assertThat(node.state().view().api("internapi")).isEmpty();

        HttpResponse<String> operatorCreates = call("CreateApi", "{\"name\":\"x\",\"apiId\":\"opapi\"}", operator);
        assertThat(operatorCreates.statusCode()).isEqualTo(403);
    }

    @Test
    void unsignedAndMalformedCallsAreRefusedInTheJsonShape() throws Exception {
        HttpResponse<String> unsigned = call("ListApis", "{}", null);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(json(unsigned).get("__type").asText()).isEqualTo("MissingAuthenticationToken");

        call("CreateApi", "{\"name\":\"v\",\"apiId\":\"validapi\"}", ROOT);
        HttpResponse<String> badKey = call("PutRoute",
                "{\"apiId\":\"validapi\",\"routeKey\":\"GET ping\",\"upstreamUrl\":\"http://127.0.0.1:1\"}", ROOT);
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(json(badKey).get("__type").asText()).isEqualTo("ValidationException");

        HttpResponse<String> missing = call("GetApi", "{\"apiId\":\"nosuchapi\"}", ROOT);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("__type").asText()).isEqualTo("NotFoundException");

        HttpResponse<String> unknown = call("Frobnicate", "{}", ROOT);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("__type").asText()).isEqualTo("UnknownOperationException");

        HttpResponse<String> notJson = call("ListApis", "[1,2", ROOT);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("__type").asText()).isEqualTo("SerializationException");
    }

    @Test
    void everyAdminCallIsAuditedAsOneOfPortcullisOwnEventsWithItsApiId() throws Exception {
        HttpResponse<String> created = call("CreateApi", "{\"name\":\"audited\"}", ROOT);
        String apiId = json(created).get("apiId").asText();
        assertThat(apiId).matches("[a-z0-9]{10}");
        HttpResponse<String> route = call("PutRoute", "{\"apiId\":\"" + apiId + "\",\"routeKey\":\"GET /ping\","
                + "\"upstreamUrl\":\"http://127.0.0.1:9\",\"authorization\":\"IAM_REPORT_ONLY\"}", ROOT);
        assertThat(route.statusCode()).as(route.body()).isEqualTo(200);
        call("DeleteApi", "{\"apiId\":\"" + apiId + "\"}", intern);

        JsonNode found = json(node.http().call("PortcullisAudit.LookupEvents", "{\"EventName\":\"CreateApi\"}", ROOT));
        JsonNode createEvent = null;
        for (JsonNode e : found.get("Events")) {
            JsonNode event = JSON.readTree(e.get("CloudTrailEvent").asText());
            if (apiId.equals(event.path("requestParameters").path("apiId").asText())) {
                createEvent = event;
            }
        }
        assertThat(createEvent).as(found.toString()).isNotNull();
        assertThat(createEvent.get("eventSource").asText()).isEqualTo("portcullis");
        assertThat(createEvent.get("readOnly").asBoolean()).isFalse();
        assertThat(createEvent.path("requestParameters").get("name").asText()).isEqualTo("audited");

        // A route's mode is recorded as authorizationType, not hidden as if it were a credential.
        JsonNode routes = json(node.http().call("PortcullisAudit.LookupEvents", "{\"EventName\":\"PutRoute\"}", ROOT));
        int routeEvents = 0;  // the call's event and the change's event
        for (JsonNode e : routes.get("Events")) {
            JsonNode params = JSON.readTree(e.get("CloudTrailEvent").asText()).path("requestParameters");
            if (apiId.equals(params.path("apiId").asText())) {
                routeEvents++;
                assertThat(params.path("authorizationType").asText()).as(params.toString()).isEqualTo("IAM_REPORT_ONLY");
                assertThat(params.has("authorization")).as(params.toString()).isFalse();
            }
        }
        assertThat(routeEvents).as(routes.toString()).isEqualTo(2);

        JsonNode denied = json(node.http().call("PortcullisAudit.LookupEvents", "{\"EventName\":\"DeleteApi\","
                + "\"ErrorCode\":\"AccessDeniedException\"}", ROOT));
        assertThat(denied.get("Events")).isNotEmpty();
        JsonNode deniedEvent = JSON.readTree(denied.get("Events").get(0).get("CloudTrailEvent").asText());
        assertThat(deniedEvent.path("requestParameters").get("apiId").asText()).isEqualTo(apiId);
        assertThat(deniedEvent.path("userIdentity").get("arn").asText()).endsWith(":user/intern");
    }

    @Test
    void aCustomDomainServesItsMappedStageWithoutTheStageInThePath() throws Exception {
        assertThat(call("CreateApi", "{\"name\":\"status\",\"apiId\":\"domainapi\"}", ROOT).statusCode()).isEqualTo(200);
        call("PutStage", "{\"apiId\":\"domainapi\",\"stageName\":\"prod\"}", ROOT);
        call("PutRoute", "{\"apiId\":\"domainapi\",\"routeKey\":\"GET /ping\",\"upstreamUrl\":\"http://127.0.0.1:"
                + node.upstreamPort() + "\",\"authorization\":\"NONE\"}", ROOT);
        HttpResponse<String> mapped = call("PutDomainName", "{\"apiId\":\"domainapi\",\"domainName\":\"Status.Internal.Example\","
                + "\"stageName\":\"prod\",\"basePath\":\"/v1/\"}", ROOT);
        assertThat(mapped.statusCode()).as(mapped.body()).isEqualTo(200);
        assertThat(json(mapped).get("domainNames").get(0).get("domainName").asText()).isEqualTo("status.internal.example");
        assertThat(json(mapped).get("domainNames").get(0).get("basePath").asText()).isEqualTo("v1");

        assertThat(rawGet("status.internal.example:" + node.port(), "/v1/ping")).startsWith("HTTP/1.1 200").endsWith("pong");
        assertThat(rawGet("STATUS.internal.example", "/v1/ping")).startsWith("HTTP/1.1 200");
        assertThat(rawGet("status.internal.example", "/ping")).doesNotStartWith("HTTP/1.1 200");
        assertThat(rawGet("status.internal.example", "/v10/ping")).doesNotStartWith("HTTP/1.1 200");

        // An update of the API keeps its mapping; another API cannot take the domain.
        call("UpdateApi", "{\"apiId\":\"domainapi\",\"name\":\"status-renamed\"}", ROOT);
        assertThat(rawGet("status.internal.example", "/v1/ping")).startsWith("HTTP/1.1 200");
        call("CreateApi", "{\"name\":\"other\",\"apiId\":\"otherdomapi\"}", ROOT);
        call("PutStage", "{\"apiId\":\"otherdomapi\",\"stageName\":\"prod\"}", ROOT);
        HttpResponse<String> taken = call("PutDomainName", "{\"apiId\":\"otherdomapi\",\"domainName\":"
                + "\"status.internal.example\",\"stageName\":\"prod\"}", ROOT);
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(409);
        assertThat(call("PutDomainName", "{\"apiId\":\"domainapi\",\"domainName\":\"not a host\",\"stageName\":\"prod\"}",
                ROOT).statusCode()).isEqualTo(400);
        assertThat(call("PutDomainName", "{\"apiId\":\"domainapi\",\"domainName\":\"x.internal.example\","
                + "\"stageName\":\"nostage\"}", ROOT).statusCode()).isEqualTo(404);
        assertThat(call("PutDomainName", "{\"apiId\":\"domainapi\",\"domainName\":\"y.internal.example\","
                + "\"stageName\":\"prod\"}", intern).statusCode()).isEqualTo(403);

        assertThat(call("DeleteDomainName", "{\"apiId\":\"domainapi\",\"domainName\":\"status.internal.example\"}", ROOT)
                .statusCode()).isEqualTo(200);
        assertThat(rawGet("status.internal.example", "/v1/ping")).doesNotStartWith("HTTP/1.1 200");
        assertThat(call("DeleteDomainName", "{\"apiId\":\"domainapi\",\"domainName\":\"status.internal.example\"}", ROOT)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aStageIsDeletedUnlessACustomDomainMapsIt() throws Exception {
        call("CreateApi", "{\"name\":\"stages\",\"apiId\":\"stagesapi\"}", ROOT);
        call("PutStage", "{\"apiId\":\"stagesapi\",\"stageName\":\"live\"}", ROOT);
        call("PutStage", "{\"apiId\":\"stagesapi\",\"stageName\":\"beta\"}", ROOT);
        call("PutRoute", "{\"apiId\":\"stagesapi\",\"routeKey\":\"GET /ping\",\"upstreamUrl\":\"http://127.0.0.1:"
                + node.upstreamPort() + "\",\"authorization\":\"NONE\"}", ROOT);
        call("PutDomainName", "{\"apiId\":\"stagesapi\",\"domainName\":\"stages.internal.example\","
                + "\"stageName\":\"live\"}", ROOT);
        assertThat(rawGet("localhost", "/stagesapi/beta/ping")).startsWith("HTTP/1.1 200");

        assertThat(call("DeleteStage", "{\"apiId\":\"stagesapi\",\"stageName\":\"beta\"}", intern).statusCode())
                .isEqualTo(403);
        HttpResponse<String> deleted = call("DeleteStage", "{\"apiId\":\"stagesapi\",\"stageName\":\"beta\"}", ROOT);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(json(deleted).get("stages").toString()).isEqualTo("[\"live\"]");
        assertThat(json(deleted).get("routes").findValuesAsText("routeKey")).containsExactly("GET /ping");
        // On the node's shared port a path of no stage is not the gateway's: the API listener answers it.
        assertThat(rawGet("localhost", "/stagesapi/beta/ping")).doesNotStartWith("HTTP/1.1 200").doesNotContain("pong");
        assertThat(rawGet("localhost", "/stagesapi/live/ping")).startsWith("HTTP/1.1 200");

        HttpResponse<String> again = call("DeleteStage", "{\"apiId\":\"stagesapi\",\"stageName\":\"beta\"}", ROOT);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json(again).get("__type").asText()).isEqualTo("NotFoundException");
        assertThat(json(again).get("message").asText()).isEqualTo("Invalid stage identifier specified");
        assertThat(call("DeleteStage", "{\"apiId\":\"nosuchapi\",\"stageName\":\"live\"}", ROOT).statusCode())
                .isEqualTo(404);
        assertThat(call("DeleteStage", "{\"apiId\":\"stagesapi\"}", ROOT).statusCode()).isEqualTo(400);

        HttpResponse<String> mapped = call("DeleteStage", "{\"apiId\":\"stagesapi\",\"stageName\":\"live\"}", ROOT);
        assertThat(mapped.statusCode()).isEqualTo(409);
        assertThat(json(mapped).get("__type").asText()).isEqualTo("ConflictException");
        assertThat(json(mapped).get("message").asText()).isEqualTo("The stage live is mapped by the custom domain "
                + "stages.internal.example; delete the mapping first");
        assertThat(rawGet("stages.internal.example", "/ping")).startsWith("HTTP/1.1 200");

        call("DeleteDomainName", "{\"apiId\":\"stagesapi\",\"domainName\":\"stages.internal.example\"}", ROOT);
        assertThat(call("DeleteStage", "{\"apiId\":\"stagesapi\",\"stageName\":\"live\"}", ROOT).statusCode())
                .isEqualTo(200);
        assertThat(node.state().view().api("stagesapi").orElseThrow().stages()).isEmpty();
    }

    @Test
    void routeSwitchesAreBooleans() throws Exception {
        call("CreateApi", "{\"name\":\"switches\",\"apiId\":\"switchapi\"}", ROOT);
        String route = "{\"apiId\":\"switchapi\",\"routeKey\":\"POST /once\",\"upstreamUrl\":\"http://127.0.0.1:1\",";
        HttpResponse<String> set = call("PutRoute", route + "\"replayProtection\":true,\"allowUnsignedPayload\":false}", ROOT);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(json(set).get("routes").get(0).get("replayProtection").asText()).isEqualTo("true");
        assertThat(json(set).get("routes").get(0).get("allowUnsignedPayload").asText()).isEqualTo("false");
        HttpResponse<String> bad = call("PutRoute", route + "\"replayProtection\":\"yes\"}", ROOT);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("message").asText()).isEqualTo("replayProtection must be true or false");
    }

    @Test
    void maxEventAgeSecondsIsAWholeNumberFrom60To21600AndDefaultsToSixHours() throws Exception {
        call("CreateApi", "{\"name\":\"ages\",\"apiId\":\"ageapi\"}", ROOT);
        String route = "{\"apiId\":\"ageapi\",\"routeKey\":\"POST /events\",\"upstreamUrl\":\"http://127.0.0.1:1\","
                + "\"invocation\":\"async\"";
        HttpResponse<String> unset = call("PutRoute", route + "}", ROOT);
        assertThat(unset.statusCode()).as(unset.body()).isEqualTo(200);
        assertThat(json(unset).get("routes").get(0).get("maxEventAgeSeconds").asText()).isEqualTo("21600");
        for (int seconds : new int[] {60, 21600, 900}) {
            HttpResponse<String> set = call("PutRoute", route + ",\"maxEventAgeSeconds\":" + seconds + "}", ROOT);
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            assertThat(json(set).get("routes").get(0).get("maxEventAgeSeconds").asText()).isEqualTo(Integer.toString(seconds));
        }
        assertThat(json(call("GetApi", "{\"apiId\":\"ageapi\"}", ROOT)).get("routes").get(0).get("maxEventAgeSeconds")
                .asText()).isEqualTo("900");

        for (String bad : List.of("59", "21601", "0", "-60", "60.5", "\"600\"", "true", "1e3", "[600]", "99999999999999999999")) {
            HttpResponse<String> r = call("PutRoute", route + ",\"maxEventAgeSeconds\":" + bad + "}", ROOT);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(r).get("__type").asText()).isEqualTo("ValidationException");
            assertThat(json(r).get("message").asText()).isEqualTo("maxEventAgeSeconds must be an integer from 60 to 21600");
        }
        assertThat(json(call("GetApi", "{\"apiId\":\"ageapi\"}", ROOT)).get("routes").get(0).get("maxEventAgeSeconds")
                .asText()).as("refused changes change nothing").isEqualTo("900");
        for (String bad : List.of("2.5", "\"3\"", "3000000000")) {
            HttpResponse<String> r = call("PutRoute", route + ",\"maxAttempts\":" + bad + "}", ROOT);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(r).get("__type").asText()).isEqualTo("ValidationException");
            assertThat(json(r).get("message").asText()).startsWith("maxAttempts must be");
        }
    }

    /** PutRoute on {@code apiId}'s {@code GET /ping} with {@code fields} (JSON members, may be empty). */
    static HttpResponse<String> putPing(String apiId, String fields) throws Exception {
        return call("PutRoute", "{\"apiId\":\"" + apiId + "\",\"routeKey\":\"GET /ping\",\"upstreamUrl\":"
                + "\"http://127.0.0.1:" + node.upstreamPort() + "\"" + (fields.isEmpty() ? "" : "," + fields)
                + "}", ROOT);
    }

    /** The route's mode as PutRoute's answer shows it; its authorizationType (API Gateway's name) must agree. */
    static String mode(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode route = json(r).get("routes").get(0);
        String mode = route.get("authorization").asText();
        assertThat(route.get("authorizationType").asText()).as(r.body())
                .isEqualTo(mode.equals("IAM") ? "AWS_IAM" : mode);
        return mode;
    }

    @Test
    void putRouteAlsoTakesApiGatewaysAuthorizationTypeForTheRoutesMode() throws Exception {
        call("CreateApi", "{\"name\":\"types\",\"apiId\":\"typeapi\"}", ROOT);
        call("PutStage", "{\"apiId\":\"typeapi\",\"stageName\":\"v1\"}", ROOT);
        URI ping = URI.create("http://127.0.0.1:" + node.port() + "/typeapi/v1/ping");

        assertThat(mode(putPing("typeapi", "\"authorizationType\":\"NONE\""))).isEqualTo("NONE");
        assertThat(node.http().send(HttpRequest.newBuilder(ping).build()).statusCode()).as("NONE: served unsigned")
                .isEqualTo(200);
        assertThat(mode(putPing("typeapi", "\"authorizationType\":\"AWS_IAM\""))).isEqualTo("IAM");
        assertThat(node.http().send(HttpRequest.newBuilder(ping).build()).statusCode()).as("IAM: unsigned is refused")
                .isEqualTo(403);
        assertThat(mode(putPing("typeapi", "\"AuthorizationType\":\"NONE\""))).isEqualTo("NONE");
        assertThat(mode(putPing("typeapi", "\"authorizationType\":\"IAM_REPORT_ONLY\""))).isEqualTo("IAM_REPORT_ONLY");
        assertThat(mode(putPing("typeapi", "\"authorization\":\"IAM\",\"authorizationType\":\"AWS_IAM\"")))
                .as("both, meaning the same").isEqualTo("IAM");
        assertThat(mode(putPing("typeapi", "\"authorizationType\":\"NONE\",\"AuthorizationType\":\"NONE\"")))
                .isEqualTo("NONE");
        assertThat(mode(putPing("typeapi", "\"authorizationType\":null,\"authorization\":\"IAM_REPORT_ONLY\"")))
                .isEqualTo("IAM_REPORT_ONLY");
        // Our own input as before.
        assertThat(mode(putPing("typeapi", "\"authorization\":\"NONE\""))).isEqualTo("NONE");
        assertThat(mode(putPing("typeapi", ""))).isEqualTo("IAM");

        String supported = "authorizationType must be AWS_IAM, NONE or IAM_REPORT_ONLY";
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("\"authorizationType\":\"JWT\"",
                "authorizationType JWT is not supported (Portcullis has no authorizers): " + supported);
        refused.put("\"authorizationType\":\"CUSTOM\"",
                "authorizationType CUSTOM is not supported (Portcullis has no authorizers): " + supported);
        refused.put("\"AuthorizationType\":\"JWT\"", "AuthorizationType JWT is not supported (Portcullis has no "
                + "authorizers): AuthorizationType must be AWS_IAM, NONE or IAM_REPORT_ONLY");
        refused.put("\"authorizationType\":\"IAM\"", supported);
        refused.put("\"authorizationType\":\"aws_iam\"", supported);
        refused.put("\"authorizationType\":\"\"", supported);
        refused.put("\"authorizationType\":1", supported);
        refused.put("\"authorizationType\":[\"NONE\"]", supported);
        refused.put("\"authorization\":\"NONE\",\"authorizationType\":\"AWS_IAM\"",
                "authorization NONE and authorizationType AWS_IAM differ: give one");
        refused.put("\"authorization\":\"IAM_REPORT_ONLY\",\"AuthorizationType\":\"AWS_IAM\"",
                "authorization IAM_REPORT_ONLY and AuthorizationType AWS_IAM differ: give one");
        refused.put("\"authorizationType\":\"NONE\",\"AuthorizationType\":\"AWS_IAM\"",
                "authorizationType and AuthorizationType differ: give one");
        refused.put("\"authorization\":\"AWS_IAM\"", "authorization must be IAM, IAM_REPORT_ONLY or NONE");
        refused.put("\"authorization\":\"BOGUS\",\"authorizationType\":\"AWS_IAM\"",
                "authorization must be IAM, IAM_REPORT_ONLY or NONE");
        for (Map.Entry<String, String> c : refused.entrySet()) {
            HttpResponse<String> r = putPing("typeapi", c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(json(r).get("__type").asText()).as(c.getKey()).isEqualTo("ValidationException");
            assertThat(json(r).get("message").asText()).as(c.getKey()).isEqualTo(c.getValue());
        }
        assertThat(json(call("GetApi", "{\"apiId\":\"typeapi\"}", ROOT)).get("routes").get(0).get("authorization")
                .asText()).as("refused calls change nothing").isEqualTo("IAM");
    }

    @Test
    void anAuthorizationTypeInputIsAuditedWithItsValue() throws Exception {
        call("CreateApi", "{\"name\":\"audited types\",\"apiId\":\"auditypeapi\"}", ROOT);
        assertThat(mode(putPing("auditypeapi", "\"authorizationType\":\"AWS_IAM\""))).isEqualTo("IAM");
        assertThat(putPing("auditypeapi", "\"AuthorizationType\":\"JWT\"").statusCode()).isEqualTo(400);

        List<JsonNode> params = new java.util.ArrayList<>();
        for (int i = 0; i < 50 && params.size() < 3; i++) {
            Thread.sleep(i == 0 ? 0 : 100);  // the audit writer appends asynchronously
            params.clear();
            JsonNode events = json(node.http().call("PortcullisAudit.LookupEvents", "{\"EventName\":\"PutRoute\"}", ROOT));
            for (JsonNode e : events.get("Events")) {
                JsonNode p = JSON.readTree(e.get("CloudTrailEvent").asText()).path("requestParameters");
                if ("auditypeapi".equals(p.path("apiId").asText())) {
                    params.add(p);
                }
            }
        }
        // The accepted call's event and its change's, and the refused call's event.
        assertThat(params).extracting(p -> p.path("authorizationType").asText())
                .containsExactlyInAnyOrder("AWS_IAM", "IAM", "JWT");
        assertThat(params).allSatisfy(p -> {
            assertThat(p.has("authorization")).as(p.toString()).isFalse();
            assertThat(p.has("AuthorizationType")).as(p.toString()).isFalse();
            assertThat(p.toString()).doesNotContain("HIDDEN_DUE_TO_SECURITY_REASONS");
        });
    }

    /** A GET with a chosen Host header (java.net.http does not let a caller set it). */
    static String rawGet(String host, String path) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
