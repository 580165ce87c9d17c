package dev.portcullis.server.gateway;

import static dev.portcullis.server.testing.NodeUnderTest.ACCOUNT;
import static dev.portcullis.server.testing.NodeUnderTest.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.portcullis.server.testing.NodeUnderTest;
import dev.portcullis.server.testing.SignedHttp;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.jobs.Job;
import dev.portcullis.state.jobs.JobStatus;
import dev.portcullis.state.model.PrincipalKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Dead letters through HTTP: an async invocation whose upstream keeps failing is dead-lettered,
 * {@code PortcullisGateway.ListDeadLetters} shows it (and only its own API's), and once the upstream is
 * fixed {@code RedriveDeadLetters} delivers it once, with the request id the caller was given. An
 * invocation whose API is deleted (or deleted and created again) before its next attempt is
 * dead-lettered without that attempt; once the API is created again, the earlier API's dead letters are
 * neither listed nor redriven under it. Admin calls are signed with the AWS SDK's SigV4 signer; the
 * retry backoff is 20 ms.
 */
class GatewayDeadLetterTest {

    static final String API_A = "dlqapia001";
    static final String API_B = "dlqapib001";
    static final String API_C = "dlqapic001";
    static final String API_D = "dlqapid001";
    static final String API_E = "dlqapie001";
    static final String API_F = "dlqapif001";
    static final String API_G = "dlqapig001";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A delivery the upstream accepted: its path and {@code x-portcullis-request-id}. */
    record Delivered(String path, String requestId, String body) {
    }

    static final AtomicBoolean healthy = new AtomicBoolean();
    static final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
    /** How many requests the upstream received, by {@code x-portcullis-request-id}. */
    static final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    /** The request ids of requests to {@code /jobs/held…}, which the upstream answers only once {@link #hold} opens. */
    static final BlockingQueue<String> held = new LinkedBlockingQueue<>();
    static volatile CountDownLatch hold = new CountDownLatch(0);
    static AwsCredentialsIdentity operator;
    static AwsCredentialsIdentity intern;

    @RegisterExtension
    static final NodeUnderTest node = NodeUnderTest.withFlags("gateway-retry-backoff", "20ms")
            .upstream(GatewayDeadLetterTest::answer);

    /**
     * Counts the request; holds requests to {@code /jobs/held…} until {@link #hold} opens; then 503 unless
     * {@link #healthy}, else records the delivery and answers 200.
     */
    static void answer(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String requestId = ex.getRequestHeaders().getFirst("x-portcullis-request-id");
        received.computeIfAbsent(requestId, k -> new AtomicInteger()).incrementAndGet();
        if (ex.getRequestURI().getRawPath().startsWith("/jobs/held")) {
            held.add(requestId);
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!healthy.get()) {
            ex.sendResponseHeaders(503, -1);
            ex.close();
            return;
        }
        delivered.add(new Delivered(ex.getRequestURI().getRawPath(),
                ex.getRequestHeaders().getFirst("x-portcullis-request-id"), new String(body, StandardCharsets.UTF_8)));
        ex.sendResponseHeaders(200, -1);
        ex.close();
    }

    @BeforeAll
    static void start() throws Exception {
        String up = node.upstreamUrl();
        var state = node.state();
        for (String api : List.of(API_A, API_B, API_C, API_D, API_E, API_F, API_G)) {
            state.apply(new Change.PutApi(api, ACCOUNT, api, Optional.empty(), Map.of(), Instant.now()));
            state.apply(new Change.PutStage(api, "prod", Map.of()));
            state.apply(new Change.PutStage(api, "beta", Map.of()));
            state.apply(new Change.PutRoute(api, "POST /jobs/{id}", up, "NONE", "async", Map.of("maxAttempts", "2")));
        }
        state.apply(Change.CreateUser.of(ACCOUNT, "dlq-operator", "/"));
        state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "dlq-operator", "dead-letters", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Action":["portcullis:ListDeadLetters","portcullis:RedriveDeadLetters"],
                 "Resource":"arn:aws:portcullis:us-east-1:111122223333:api/dlqapia001"}]}"""));
        operator = SignedHttp.identity(state.createAccessKey(ACCOUNT, "dlq-operator"));
        state.apply(Change.CreateUser.of(ACCOUNT, "dlq-intern", "/"));
        state.apply(new Change.PutInlinePolicy(ACCOUNT, PrincipalKind.USER, "dlq-intern", "read-apis", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"portcullis:GetApi","Resource":"*"}]}"""));
        intern = SignedHttp.identity(state.createAccessKey(ACCOUNT, "dlq-intern"));
    }

    static JsonNode admin(String action, String body, AwsCredentialsIdentity who) throws Exception {
        return node.http().ok("PortcullisGateway." + action, body, who);
    }

    /** An async invocation (route authorization NONE); returns the request id of the 202. */
    static String invoke(String api, String stage, String path, String body) throws Exception {
        HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/" + api
                + "/" + stage + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return r.headers().firstValue("x-amzn-RequestId").orElseThrow();
    }

    /** The dead letters of {@code api} once there are {@code count} of them (waits for the delivery worker). */
    static JsonNode awaitDeadLetters(String api, String filter, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        JsonNode page;
        do {
            page = admin("ListDeadLetters", "{\"apiId\":\"" + api + "\"" + filter + "}", ROOT);
            if (page.get("items").size() >= count) {
                return page;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + count + " dead letters of " + api + ", have " + page);
    }

    static List<String> field(JsonNode page, String name) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.path(name).asText()));
        return out;
    }

    @Test
    void aFailingInvocationIsDeadLetteredListedForItsApiOnlyAndRedrivenOnceWithTheSameRequestId() throws Exception {
        healthy.set(false);
        delivered.clear();
        String payload = "{\"job\":\"reconcile\",\"secret\":\"not-for-listing\"}";
        String requestA = invoke(API_A, "prod", "/jobs/42", payload);
        String requestB = invoke(API_B, "prod", "/jobs/43", "{\"job\":\"b\"}");

        JsonNode listed = awaitDeadLetters(API_A, "", 1);
        assertThat(listed.get("items")).hasSize(1);
        JsonNode dead = listed.get("items").get(0);
        assertThat(dead.get("requestId").asText()).isEqualTo(requestA);
        assertThat(dead.get("stageName").asText()).isEqualTo("prod");
        assertThat(dead.get("routeKey").asText()).isEqualTo("POST /jobs/{id}");
        assertThat(dead.get("httpMethod").asText()).isEqualTo("POST");
        assertThat(dead.get("path").asText()).isEqualTo("/jobs/42");
        assertThat(dead.get("attempts").asInt()).isEqualTo(2);
        assertThat(dead.get("lastError").asText()).isEqualTo("upstream answered 503");
        assertThat(dead.get("bodySize").asInt()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8).length);
        assertThat(Instant.parse(dead.get("deadLetteredAt").asText()))
                .isAfterOrEqualTo(Instant.parse(dead.get("enqueuedAt").asText()));
        assertThat(listed.toString()).doesNotContain("not-for-listing").doesNotContain(requestB);
        assertThat(listed.has("nextToken")).isFalse();
        String invocationId = dead.get("invocationId").asText();

        // Another API's dead letters are its own: B lists B's, and A's operator may not look at B.
        assertThat(field(awaitDeadLetters(API_B, "", 1), "requestId")).containsExactly(requestB);
        HttpResponse<String> otherApi = node.http().call("PortcullisGateway.ListDeadLetters", "{\"apiId\":\"" + API_B + "\"}", operator);
        assertThat(otherApi.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(otherApi.body()).get("message").asText())
                .contains("portcullis:ListDeadLetters on resource: arn:aws:portcullis:us-east-1:111122223333:api/" + API_B);
        assertThat(field(admin("ListDeadLetters", "{\"apiId\":\"" + API_A + "\"}", operator), "requestId"))
                .containsExactly(requestA);

        // A caller without the permissions is refused both actions, and nothing moves.
        for (String action : List.of("ListDeadLetters", "RedriveDeadLetters")) {
            HttpResponse<String> refused = node.http().call("PortcullisGateway." + action, "{\"apiId\":\"" + API_A
                    + "\",\"invocationIds\":[\"" + invocationId + "\"]}", intern);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).get("__type").asText()).isEqualTo("AccessDeniedException");
            assertThat(JSON.readTree(refused.body()).get("message").asText()).contains("portcullis:" + action);
        }
        // Redriving B's invocation through A's API finds nothing.
        String idB = awaitDeadLetters(API_B, "", 1).get("items").get(0).get("invocationId").asText();
        JsonNode crossed = admin("RedriveDeadLetters", "{\"apiId\":\"" + API_A + "\",\"invocationIds\":[\"" + idB + "\"]}",
                operator);
        assertThat(crossed.get("redriven")).isEmpty();
        assertThat(crossed.get("failed").get(0).get("invocationId").asText()).isEqualTo(idB);
        assertThat(delivered).isEmpty();

        healthy.set(true);
        JsonNode redriven = admin("RedriveDeadLetters", "{\"apiId\":\"" + API_A + "\",\"invocationIds\":[\""
                + invocationId + "\",\"no-such-invocation\"]}", operator);
        assertThat(redriven.get("redriven")).hasSize(1);
        assertThat(redriven.get("redriven").get(0).asText()).isEqualTo(invocationId);
        assertThat(redriven.get("failed")).hasSize(1);
        assertThat(redriven.get("failed").get(0).get("invocationId").asText()).isEqualTo("no-such-invocation");
        assertThat(redriven.get("failed").get(0).get("code").asText()).isEqualTo("NotDeadLettered");

        Delivered d = delivered.poll(10, TimeUnit.SECONDS);
        assertThat(d).as("the redriven invocation was delivered").isNotNull();
        assertThat(d.requestId()).isEqualTo(requestA);
        assertThat(d.path()).isEqualTo("/jobs/42");
        assertThat(d.body()).isEqualTo(payload);
        assertThat(delivered.poll(500, TimeUnit.MILLISECONDS)).as("delivered once; B stays dead").isNull();
        assertThat(admin("ListDeadLetters", "{\"apiId\":\"" + API_A + "\"}", ROOT).get("items")).isEmpty();
        assertThat(field(admin("ListDeadLetters", "{\"apiId\":\"" + API_B + "\"}", ROOT), "requestId"))
                .containsExactly(requestB);
        JsonNode again = admin("RedriveDeadLetters", "{\"apiId\":\"" + API_A + "\",\"invocationIds\":[\""
                + invocationId + "\"]}", operator);
        assertThat(again.get("redriven")).as("no longer dead").isEmpty();

        String events = "";
        for (int i = 0; i < 50 && !events.contains(invocationId); i++) {
            Thread.sleep(i == 0 ? 0 : 100);  // the audit writer appends asynchronously
            events = node.http().call("PortcullisAudit.LookupEvents", "{\"EventName\":\"RedriveDeadLetters\"}", ROOT).body();
        }
        assertThat(events).contains(invocationId).contains("dlq-operator");
    }

    @Test
    void deadLettersArePagedFilteredByStageAndRedrivenAllAtOnce() throws Exception {
        healthy.set(false);
        delivered.clear();
        List<String> prod = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            prod.add(invoke(API_C, "prod", "/jobs/" + i, "{}"));
        }
        String beta = invoke(API_C, "beta", "/jobs/b", "{}");
        awaitDeadLetters(API_C, "", 4);

        assertThat(field(admin("ListDeadLetters", "{\"apiId\":\"" + API_C + "\",\"stageName\":\"beta\"}", ROOT),
                "requestId")).containsExactly(beta);
        List<String> seen = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 10; page++) {
            JsonNode p = admin("ListDeadLetters", "{\"apiId\":\"" + API_C + "\",\"stageName\":\"prod\",\"maxResults\":2"
                    + (token == null ? "" : ",\"nextToken\":\"" + token + "\"") + "}", ROOT);
            assertThat(p.get("items").size()).isLessThanOrEqualTo(2);
            seen.addAll(field(p, "requestId"));
            if (!p.hasNonNull("nextToken")) {
                break;
            }
            token = p.get("nextToken").asText();
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(prod);

        for (String bad : List.of("\"maxResults\":0", "\"maxResults\":101", "\"maxResults\":\"ten\"",
                "\"nextToken\":\"bm90LWEtdG9rZW4\"")) {
            HttpResponse<String> r = node.http().call("PortcullisGateway.ListDeadLetters", "{\"apiId\":\"" + API_C + "\"," + bad + "}",
                    ROOT);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("__type").asText()).isEqualTo("ValidationException");
        }
        for (String bad : List.of("", ",\"all\":true,\"invocationIds\":[\"x\"]", ",\"invocationIds\":[]",
                ",\"all\":\"yes\"")) {
            HttpResponse<String> r = node.http().call("PortcullisGateway.RedriveDeadLetters", "{\"apiId\":\"" + API_C + "\"" + bad
                    + "}", ROOT);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("__type").asText()).isEqualTo("ValidationException");
        }
        HttpResponse<String> unknownApi = node.http().call("PortcullisGateway.RedriveDeadLetters",
                "{\"apiId\":\"nosuchapi1\",\"all\":true}", ROOT);
        assertThat(unknownApi.statusCode()).isEqualTo(404);

        healthy.set(true);
        JsonNode all = admin("RedriveDeadLetters", "{\"apiId\":\"" + API_C + "\",\"all\":true,\"stageName\":\"prod\"}",
                ROOT);
        assertThat(all.get("redriven")).hasSize(3);
        assertThat(all.get("truncated").asBoolean()).isFalse();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Delivered d = delivered.poll(10, TimeUnit.SECONDS);
            assertThat(d).isNotNull();
            got.add(d.requestId());
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(prod);
        assertThat(field(admin("ListDeadLetters", "{\"apiId\":\"" + API_C + "\"}", ROOT), "requestId"))
                .containsExactly(beta);
    }

    @Test
    void theDeadLettersOfADeletedApiAreStillListedButRedrivingThemAnswersNotFound() throws Exception {
        healthy.set(false);
        delivered.clear();
        String requestD = invoke(API_D, "prod", "/jobs/d", "{}");
        String invocationId = awaitDeadLetters(API_D, "", 1).get("items").get(0).get("invocationId").asText();
        admin("DeleteApi", "{\"apiId\":\"" + API_D + "\"}", ROOT);
        healthy.set(true);

        assertThat(field(admin("ListDeadLetters", "{\"apiId\":\"" + API_D + "\"}", ROOT), "requestId"))
                .containsExactly(requestD);
        for (String body : List.of(",\"invocationIds\":[\"" + invocationId + "\"]", ",\"all\":true",
                ",\"all\":true,\"stageName\":\"prod\"")) {
            HttpResponse<String> r = node.http().call("PortcullisGateway.RedriveDeadLetters", "{\"apiId\":\"" + API_D + "\"" + body + "}",
                    ROOT);
            assertThat(r.statusCode()).as(body).isEqualTo(404);
            JsonNode error = JSON.readTree(r.body());
            assertThat(error.get("__type").asText()).isEqualTo("NotFoundException");
            assertThat(error.get("message").asText()).isEqualTo("Invalid API identifier specified " + API_D
                    + ": the API was deleted; its dead letters can be listed but not redriven");
        }
        HttpResponse<String> unknown = node.http().call("PortcullisGateway.RedriveDeadLetters", "{\"apiId\":\"neverexist\",\"all\":true}",
                ROOT);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("message").asText()).isEqualTo("Invalid API identifier specified neverexist");
        assertThat(delivered.poll(300, TimeUnit.MILLISECONDS)).as("nothing was redriven").isNull();
        assertThat(field(admin("ListDeadLetters", "{\"apiId\":\"" + API_D + "\"}", ROOT), "requestId"))
                .containsExactly(requestD);
    }

    /** Invokes {@code api} at {@code /jobs/held…} and waits until its first attempt is held at the upstream. */
    static String invokeHeld(String api) throws Exception {
        hold = new CountDownLatch(1);
        held.clear();
        String requestId = invoke(api, "prod", "/jobs/held-" + api, "{}");
        assertThat(held.poll(10, TimeUnit.SECONDS)).as("the first attempt reached the upstream").isEqualTo(requestId);
        return requestId;
    }

    /** The dead letter of {@code requestId} once its {@code lastError} is {@code error} (waits for the worker). */
    static JsonNode awaitDeadLetter(String api, String requestId, String error) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        JsonNode page;
        do {
            page = admin("ListDeadLetters", "{\"apiId\":\"" + api + "\"}", ROOT);
            for (JsonNode item : page.get("items")) {
                if (item.get("requestId").asText().equals(requestId) && item.get("lastError").asText().equals(error)) {
                    return item;
                }
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected the dead letter of " + requestId + " with " + error + ", have " + page);
    }

    @Test
    void anInvocationOfAnApiDeletedBeforeItsNextAttemptIsDeadLetteredWithoutThatAttempt() throws Exception {
        healthy.set(false);
        String requestE = invokeHeld(API_E);
        admin("DeleteApi", "{\"apiId\":\"" + API_E + "\"}", ROOT);
        hold.countDown();  // the first attempt fails (503) and is retried 20 ms later, after the delete

        JsonNode dead = awaitDeadLetter(API_E, requestE, "API deleted before delivery; last error: upstream answered 503");
        assertThat(dead.get("attempts").asInt()).as("one attempt reached the upstream").isEqualTo(1);
        assertThat(dead.get("maxAttempts").asInt()).isEqualTo(2);
        assertThat(dead.get("stageName").asText()).isEqualTo("prod");
        Thread.sleep(200);
        assertThat(received.get(requestE).get()).as("the upstream saw the first attempt only").isEqualTo(1);
    }

    /**
     * The dead job of {@code requestId} once its last error is {@code error}, read from the job table (the
     * admin API no longer lists it once its API was created again).
     */
    static Job awaitDeadJob(String requestId, String error) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        do {
            for (Job j : node.state().jobs().dead(Delivery.QUEUE, 1000)) {
                if (j.owner().summary() != null && j.owner().summary().contains("\"" + requestId + "\"")
                        && j.lastError().orElse("").equals(error)) {
                    return j;
                }
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected the dead job of " + requestId + " with " + error);
    }

    @Test
    void anApiDeletedAndCreatedAgainUnderItsIdNeitherReceivesNorListsNorRedrivesTheEarlierApisInvocations()
            throws Exception {
        healthy.set(false);
        String old = invokeHeld(API_F);
        admin("DeleteApi", "{\"apiId\":\"" + API_F + "\"}", ROOT);
        admin("CreateApi", "{\"apiId\":\"" + API_F + "\",\"name\":\"again\"}", ROOT);
        admin("PutStage", "{\"apiId\":\"" + API_F + "\",\"stageName\":\"prod\"}", ROOT);
        admin("PutRoute", "{\"apiId\":\"" + API_F + "\",\"routeKey\":\"POST /jobs/{id}\",\"upstreamUrl\":\""
                + node.upstreamUrl() + "\",\"authorization\":\"NONE\",\"invocation\":\"async\",\"maxAttempts\":2}", ROOT);
        hold.countDown();

        Job oldJob = awaitDeadJob(old, "API deleted before delivery; last error: upstream answered 503");
        assertThat(oldJob.attempts()).as("one attempt reached the upstream").isEqualTo(1);
        String oldId = oldJob.id();

        // The new API does not list the earlier API's dead letter, nor redrive it, by id or all at once.
        assertThat(admin("ListDeadLetters", "{\"apiId\":\"" + API_F + "\"}", ROOT).get("items")).isEmpty();
        assertThat(admin("ListDeadLetters", "{\"apiId\":\"" + API_F + "\",\"stageName\":\"prod\"}", ROOT)
                .get("items")).isEmpty();
        JsonNode byId = admin("RedriveDeadLetters", "{\"apiId\":\"" + API_F + "\",\"invocationIds\":[\"" + oldId
                + "\",\"no-such-invocation\"]}", ROOT);
        assertThat(byId.get("redriven")).isEmpty();
        assertThat(byId.get("failed")).hasSize(2);
        JsonNode oldFailed = byId.get("failed").get(0);
        JsonNode unknownFailed = byId.get("failed").get(1);
        assertThat(oldFailed.get("invocationId").asText()).isEqualTo(oldId);
        assertThat(oldFailed.get("code").asText()).isEqualTo(unknownFailed.get("code").asText())
                .isEqualTo("NotDeadLettered");
        assertThat(oldFailed.get("message").asText()).as("answered as an unknown id is")
                .isEqualTo(unknownFailed.get("message").asText().replace("no-such-invocation", oldId));
        for (String all : List.of("", ",\"stageName\":\"prod\"")) {
            JsonNode redriveAll = admin("RedriveDeadLetters", "{\"apiId\":\"" + API_F + "\",\"all\":true" + all + "}",
                    ROOT);
            assertThat(redriveAll.get("redriven")).as(all).isEmpty();
            assertThat(redriveAll.get("truncated").asBoolean()).isFalse();
        }
        assertThat(node.state().jobs().find(oldId)).get().satisfies(j -> {
            assertThat(j.status()).as("left dead").isEqualTo(JobStatus.DEAD);
            assertThat(j.lastError()).contains("API deleted before delivery; last error: upstream answered 503");
        });

        // The new API's own dead letters are listed and redriven as any.
        String fresh = invoke(API_F, "prod", "/jobs/fresh", "{}");
        JsonNode listed = awaitDeadLetters(API_F, "", 1);
        assertThat(field(listed, "requestId")).containsExactly(fresh);
        String freshId = listed.get("items").get(0).get("invocationId").asText();
        healthy.set(true);
        delivered.clear();
        JsonNode redriven = admin("RedriveDeadLetters", "{\"apiId\":\"" + API_F + "\",\"invocationIds\":[\""
                + oldId + "\",\"" + freshId + "\"]}", ROOT);
        assertThat(redriven.get("redriven")).extracting(JsonNode::asText).containsExactly(freshId);
        assertThat(redriven.get("failed")).extracting(f -> f.get("invocationId").asText()).containsExactly(oldId);
        Delivered d = delivered.poll(10, TimeUnit.SECONDS);
        assertThat(d).as("the new API's redriven invocation was delivered").isNotNull();
        assertThat(d.requestId()).isEqualTo(fresh);
        assertThat(delivered.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(received.get(old).get()).as("the upstream saw the first attempt only").isEqualTo(1);
        assertThat(admin("ListDeadLetters", "{\"apiId\":\"" + API_F + "\"}", ROOT).get("items")).isEmpty();

        // Once that API is deleted too, its dead letters (of either API) can be listed again, not redriven.
        admin("DeleteApi", "{\"apiId\":\"" + API_F + "\"}", ROOT);
        assertThat(field(admin("ListDeadLetters", "{\"apiId\":\"" + API_F + "\"}", ROOT), "invocationId"))
                .containsExactly(oldId);
    }

    @Test
    void aDeadLetterWithoutARecordedApiCreationTimeIsStillListedAndRedrivenAfterItsApiWasCreatedAgain()
            throws Exception {
        admin("DeleteApi", "{\"apiId\":\"" + API_G + "\"}", ROOT);
        admin("CreateApi", "{\"apiId\":\"" + API_G + "\",\"name\":\"again\"}", ROOT);
        // One job as a node from before topic versions enqueued it (no version), one of an earlier API under
        // the id; their payloads are unreadable, so each is dead-lettered at its first claim.
        var jobs = node.state().jobs();
        String legacy = jobs.enqueue(Delivery.QUEUE, "{}".getBytes(StandardCharsets.UTF_8), 1,
                Delivery.owner(ACCOUNT, API_G, "prod", "legacy-request", "POST /jobs/{id}", "POST", "/jobs/l", 2));
        String versioned = jobs.enqueue(Delivery.QUEUE, "{}".getBytes(StandardCharsets.UTF_8), 1,
                Delivery.owner(ACCOUNT, API_G, "prod", "earlier-request", "POST /jobs/{id}", "POST", "/jobs/v", 2)
                        .withTopicVersion(1L));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!(jobs.find(legacy).orElseThrow().status() == JobStatus.DEAD
                && jobs.find(versioned).orElseThrow().status() == JobStatus.DEAD)) {
            assertThat(System.nanoTime()).as("dead-lettered (unreadable payloads)").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(field(admin("ListDeadLetters", "{\"apiId\":\"" + API_G + "\"}", ROOT), "invocationId"))
                .containsExactly(legacy);
        JsonNode all = admin("RedriveDeadLetters", "{\"apiId\":\"" + API_G + "\",\"all\":true}", ROOT);
        assertThat(all.get("redriven")).extracting(JsonNode::asText).containsExactly(legacy);
    }
}
