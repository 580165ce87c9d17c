package dev.portcullis.server.trail;

import static dev.portcullis.server.testing.NodeUnderTest.ACCOUNT;
import static dev.portcullis.server.testing.NodeUnderTest.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.server.testing.NodeUnderTest;
import dev.portcullis.server.testing.SignedHttp;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.PrincipalKind;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** {@code PortcullisAudit.LookupEvents}: signed, authorized, audited, filtered and paginated. */
class AuditLookupTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final NodeUnderTest node = NodeUnderTest.withFlags();
    static AwsCredentialsIdentity auditor;
    static AwsCredentialsIdentity intern;
    static String internArn = "arn:aws:iam::" + ACCOUNT + ":user/intern";

    @BeforeAll
    static void start() throws Exception {
        var state = node.state();
        state.apply(Change.CreateUser.of(ACCOUNT, "auditor", "/"));
        state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "auditor", "lookup", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"portcullis:LookupEvents","Resource":"*"}]}"""));
        auditor = SignedHttp.identity(state.createAccessKey(ACCOUNT, "auditor"));
        state.apply(Change.CreateUser.of(ACCOUNT, "intern", "/"));
        intern = SignedHttp.identity(state.createAccessKey(ACCOUNT, "intern"));
    }

    static HttpResponse<String> call(String action, String body, AwsCredentialsIdentity who) throws Exception {
        return node.http().call("PortcullisAudit." + action, body, who);
    }

    static JsonNode lookup(String body, AwsCredentialsIdentity who) throws Exception {
        return node.http().ok("PortcullisAudit.LookupEvents", body, who);
    }

    /** Looks up until {@code done} holds (the recorder writes on its own thread). */
    static JsonNode lookupUntil(String body, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode r = lookup(body, ROOT);
        while (!done.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            r = lookup(body, ROOT);
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
                + first.get("NextToken").asText() + "\"}", ROOT);
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
        assertThat(lookup("{\"StartTime\":\"" + future + "\"}", ROOT).get("Events")).isEmpty();
        assertThat(lookup("{\"EndTime\":0.5}", ROOT).get("Events")).isEmpty();
        assertThat(lookup("{\"CorrelationId\":\"no-such-correlation\"}", ROOT).get("Events")).isEmpty();
        JsonNode all = lookup("{\"EventName\":\"CreateAccount\",\"StartTime\":0,\"EndTime\":\"" + future + "\"}", ROOT);
        assertThat(all.get("Events")).hasSize(1);
    }

    @Test
    void rejectsBadInputWithAwsJsonErrors() throws Exception {
        assertError(call("LookupEvents", "{\"MaxResults\":0}", ROOT), 400, "ValidationException");
        assertError(call("LookupEvents", "{\"MaxResults\":1001}", ROOT), 400, "ValidationException");
        assertError(call("LookupEvents", "{\"Decision\":\"Maybe\"}", ROOT), 400, "ValidationException");
        assertError(call("LookupEvents", "{\"StartTime\":\"yesterday\"}", ROOT), 400, "ValidationException");
        assertError(call("LookupEvents", "{\"StartTime\":10,\"EndTime\":5}", ROOT), 400, "ValidationException");
        assertError(call("LookupEvents", "{\"NextToken\":\"not-a-token\"}", ROOT), 400, "InvalidNextTokenException");
        assertError(call("LookupEvents", "[1,2]", ROOT), 400, "SerializationException");
        assertError(call("DeleteEvents", "{}", ROOT), 400, "UnknownOperationException");
        HttpResponse<String> unsigned = call("LookupEvents", "{}", null);
        assertThat(unsigned.statusCode()).isIn(400, 403);
        assertThat(JSON.readTree(unsigned.body()).get("__type").asText()).isEqualTo("MissingAuthenticationToken");
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).get("__type").asText()).isEqualTo(code);
    }
}
