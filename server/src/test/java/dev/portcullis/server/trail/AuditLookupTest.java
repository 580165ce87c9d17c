package dev.portcullis.server.trail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.testing.SignedHttp;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.PrincipalKind;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** {@code PortcullisAudit.LookupEvents}: signed, authorized, audited, filtered and paginated. */
class AuditLookupTest {

    static final String ACCOUNT = "111122223333";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static PortcullisNode node;
    static SignedHttp http;
    static AwsCredentialsIdentity root = AwsBasicCredentials.create("AKIAROOTEXAMPLE00001",
            "rootSecretExampleKey0000000000000000000");
    static AwsCredentialsIdentity auditor;
    static AwsCredentialsIdentity intern;
    static String internArn = "arn:aws:iam::" + ACCOUNT + ":user/intern";

    @BeforeAll
    static void start() throws Exception {
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("data-dir", dir.toString()).load();
        node = PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, ACCOUNT,
                PortcullisNode.ENV_ROOT_KEY_ID, "AKIAROOTEXAMPLE00001",
                PortcullisNode.ENV_ROOT_SECRET, "rootSecretExampleKey0000000000000000000"), parts -> List.of());
        http = SignedHttp.to(node.port());
        var state = node.state();
        state.apply(Change.CreateUser.of(ACCOUNT, "auditor", "/"));
        state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "auditor", "lookup", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"portcullis:LookupEvents","Resource":"*"}]}"""));
        auditor = SignedHttp.identity(state.createAccessKey(ACCOUNT, "auditor"));
        state.apply(Change.CreateUser.of(ACCOUNT, "intern", "/"));
        intern = SignedHttp.identity(state.createAccessKey(ACCOUNT, "intern"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static HttpResponse<String> call(String action, String body, AwsCredentialsIdentity who) throws Exception {
        return http.call("PortcullisAudit." + action, body, who);
    }

    static JsonNode lookup(String body, AwsCredentialsIdentity who) throws Exception {
        return http.ok("PortcullisAudit.LookupEvents", body, who);
    }

    /** Looks up until {@code done} holds (the recorder writes on its own thread). */
    static JsonNode lookupUntil(String body, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode r = lookup(body, root);
        while (!done.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            r = lookup(body, root);
        }
        return r;
    }

    static JsonNode event(JsonNode listed) throws Exception {
        return JSON.readTree(listed.get("CloudTrailEvent").asText());
    }

    @Test
    void findsTheStateChangesByEventNameAPageAtATime() throws Exception {
        JsonNode first = lookupUntil("{\"EventName\":\"CreateUser\",\"MaxResults\":1}", r -> r.has("NextToken"));
        assertThat(first.get("Events")).hasSize(1);
        assertThat(event(first.get("Events").get(0)).path("requestParameters").path("userName").asText())
                .isEqualTo("auditor");
        assertThat(first.get("Events").get(0).get("EventSource").asText()).isEqualTo("portcullis");
        JsonNode second = lookup("{\"EventName\":\"CreateUser\",\"MaxResults\":1,\"NextToken\":\""
                + first.get("NextToken").asText() + "\"}", root);
        assertThat(second.get("Events")).hasSize(1);
        assertThat(event(second.get("Events").get(0)).path("requestParameters").path("userName").asText())
                .isEqualTo("intern");
        assertThat(second.has("NextToken")).isFalse();
    }

    @Test
    void eachLookupIsAuditedAndCanBeFoundByItsRequestId() throws Exception {
        HttpResponse<String> r = call("LookupEvents", "{\"EventName\":\"CreateAccount\"}", auditor);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("Events")).hasSize(1);
        String requestId = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
        JsonNode found = lookupUntil("{\"RequestId\":\"" + requestId + "\"}", x -> x.get("Events").size() > 0);
        assertThat(found.get("Events")).hasSize(1);
        JsonNode listed = found.get("Events").get(0);
        assertThat(listed.get("EventName").asText()).isEqualTo("LookupEvents");
        assertThat(listed.get("ReadOnly").asText()).isEqualTo("true");
        assertThat(listed.get("Username").asText()).isEqualTo("auditor");
        JsonNode e = event(listed);
        assertThat(e.path("eventSource").asText()).isEqualTo("portcullis");
        assertThat(e.path("decision").path("outcome").asText()).isEqualTo("Allow");
        assertThat(e.path("requestParameters").path("EventName").asText()).isEqualTo("CreateAccount");
    }

    @Test
    void aCallerWithoutLookupEventsIsDeniedAndTheDenialIsAudited() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        HttpResponse<String> r = call("LookupEvents", "{}", intern);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).get("__type").asText()).isEqualTo("AccessDeniedException");
        assertThat(JSON.readTree(r.body()).get("message").asText()).contains("portcullis:LookupEvents");
        JsonNode found = lookupUntil("{\"Principal\":\"" + internArn + "\",\"Decision\":\"ImplicitDeny\","
                + "\"ErrorCode\":\"AccessDeniedException\",\"StartTime\":" + before.getEpochSecond() + "}",
                x -> x.get("Events").size() > 0);
        assertThat(found.get("Events")).hasSize(1);
        assertThat(found.get("Events").get(0).get("EventName").asText()).isEqualTo("LookupEvents");
    }

    @Test
    void filtersByTimeRangeAndCorrelationId() throws Exception {
        String future = Instant.now().plusSeconds(3600).toString();
        assertThat(lookup("{\"StartTime\":\"" + future + "\"}", root).get("Events")).isEmpty();
        assertThat(lookup("{\"EndTime\":0.5}", root).get("Events")).isEmpty();
        assertThat(lookup("{\"CorrelationId\":\"no-such-correlation\"}", root).get("Events")).isEmpty();
        JsonNode all = lookup("{\"EventName\":\"CreateAccount\",\"StartTime\":0,\"EndTime\":\"" + future + "\"}", root);
        assertThat(all.get("Events")).hasSize(1);
    }

    @Test
    void rejectsBadInputWithAwsJsonErrors() throws Exception {
        assertError(call("LookupEvents", "{\"MaxResults\":0}", root), 400, "ValidationException");
        assertError(call("LookupEvents", "{\"MaxResults\":1001}", root), 400, "ValidationException");
        assertError(call("LookupEvents", "{\"Decision\":\"Maybe\"}", root), 400, "ValidationException");
        assertError(call("LookupEvents", "{\"StartTime\":\"yesterday\"}", root), 400, "ValidationException");
        assertError(call("LookupEvents", "{\"StartTime\":10,\"EndTime\":5}", root), 400, "ValidationException");
        assertError(call("LookupEvents", "{\"NextToken\":\"not-a-token\"}", root), 400, "InvalidNextTokenException");
        assertError(call("LookupEvents", "[1,2]", root), 400, "SerializationException");
        assertError(call("DeleteEvents", "{}", root), 400, "UnknownOperationException");
        HttpResponse<String> unsigned = call("LookupEvents", "{}", null);
        assertThat(unsigned.statusCode()).isIn(400, 403);
        assertThat(JSON.readTree(unsigned.body()).get("__type").asText()).isEqualTo("MissingAuthenticationToken");
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).get("__type").asText()).isEqualTo(code);
    }
}
