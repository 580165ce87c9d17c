package dev.portcullis.server.gateway;

import static dev.portcullis.server.testing.NodeUnderTest.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.portcullis.server.testing.NodeUnderTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A route's {@code maxEventAgeSeconds} through HTTP. The node's retry backoff is 61 s, longer than the
 * shortest maximum age (60 s), so an invocation to a failing upstream on a 60-second route cannot be
 * retried within its age: it is dead-lettered after its first attempt with the age as the reason, while
 * the same failure on a route with the default age (6 h) is scheduled for a retry. No test waits 60 s.
 * Routes are put and dead letters listed and redriven through the admin API, signed with the AWS SDK's
 * SigV4 signer.
 */
class GatewayEventAgeTest {

    static final String API = "ageapi0001";

    /** An attempt the upstream saw: its path and {@code x-portcullis-request-id}, and whether it was accepted. */
    record Attempt(String path, String requestId, boolean accepted) {
    }

    static final AtomicBoolean healthy = new AtomicBoolean();
    static final BlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();
    @RegisterExtension
    static final NodeUnderTest node = NodeUnderTest.withFlags("gateway-retry-backoff", "61s")
            .upstream(GatewayEventAgeTest::answer);

    /** Records the attempt; 200 while {@link #healthy}, else 503. */
    static void answer(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        boolean ok = healthy.get();
        attempts.add(new Attempt(ex.getRequestURI().getRawPath(),
                ex.getRequestHeaders().getFirst("x-portcullis-request-id"), ok));
        ex.sendResponseHeaders(ok ? 200 : 503, -1);
        ex.close();
    }

    @BeforeAll
    static void start() throws Exception {
        String up = node.upstreamUrl();
        admin("CreateApi", "{\"apiId\":\"" + API + "\",\"name\":\"ages\"}");
        admin("PutStage", "{\"apiId\":\"" + API + "\",\"stageName\":\"prod\"}");
        JsonNode api = admin("PutRoute", "{\"apiId\":\"" + API + "\",\"routeKey\":\"POST /short\",\"upstreamUrl\":\"" + up
                + "\",\"authorization\":\"NONE\",\"invocation\":\"async\",\"maxAttempts\":5,\"maxEventAgeSeconds\":60}");
        assertThat(api.get("routes").get(0).get("maxEventAgeSeconds").asText()).isEqualTo("60");
        admin("PutRoute", "{\"apiId\":\"" + API + "\",\"routeKey\":\"POST /long\",\"upstreamUrl\":\"" + up
                + "\",\"authorization\":\"NONE\",\"invocation\":\"async\",\"maxAttempts\":5}");
        admin("PutRoute", "{\"apiId\":\"" + API + "\",\"routeKey\":\"POST /sync\",\"upstreamUrl\":\"" + up
                + "\",\"authorization\":\"NONE\",\"maxEventAgeSeconds\":60}");
    }

    static JsonNode admin(String action, String body) throws Exception {
        return node.http().ok("PortcullisGateway." + action, body, ROOT);
    }

    /** An invocation answered 202 (async by route, or by {@code X-Amz-Invocation-Type: Event}); its request id. */
    static String invoke(String path, boolean eventHeader) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/" + API + "/prod"
                + path)).POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (eventHeader) {
            b.header("X-Amz-Invocation-Type", "Event");
        }
        HttpResponse<String> r = node.http().send(b.build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return r.headers().firstValue("x-amzn-RequestId").orElseThrow();
    }

    /** The API's dead letters once there are {@code count}, waiting for the delivery worker. */
    static JsonNode awaitDeadLetters(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        JsonNode page;
        do {
            page = admin("ListDeadLetters", "{\"apiId\":\"" + API + "\"}");
            if (page.get("items").size() >= count) {
                return page;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + count + " dead letters, have " + page);
    }

    /** The next {@code n} attempts the upstream sees. */
    static List<Attempt> nextAttempts(int n) throws Exception {
        List<Attempt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Attempt a = attempts.poll(10, TimeUnit.SECONDS);
            assertThat(a).as("attempt " + (i + 1) + " of " + n).isNotNull();
            out.add(a);
        }
        return out;
    }

    static JsonNode item(JsonNode page, String requestId) {
        for (JsonNode i : page.get("items")) {
            if (i.get("requestId").asText().equals(requestId)) {
                return i;
            }
        }
        throw new AssertionError("no dead letter for " + requestId + " in " + page);
    }

    @Test
    void anInvocationThatCannotBeRetriedWithinItsRoutesMaxEventAgeIsDeadLetteredWithTheAgeAsReason() throws Exception {
        healthy.set(false);
        attempts.clear();
        String shortLived = invoke("/short", false);
        String longLived = invoke("/long", false);
        String event = invoke("/sync", true);
        assertThat(nextAttempts(3)).extracting(Attempt::requestId)
                .containsExactlyInAnyOrder(shortLived, longLived, event);

        JsonNode page = awaitDeadLetters(2);
        for (String requestId : List.of(shortLived, event)) {
            JsonNode dead = item(page, requestId);
            assertThat(dead.get("attempts").asInt()).as("one attempt of five").isEqualTo(1);
            assertThat(dead.get("maxAttempts").asInt()).isEqualTo(5);
            assertThat(dead.get("lastError").asText())
                    .isEqualTo("maximum event age exceeded; last error: upstream answered 503");
        }
        Thread.sleep(300);
        assertThat(admin("ListDeadLetters", "{\"apiId\":\"" + API + "\"}").get("items")).as("6 h: a retry is scheduled")
                .hasSize(2);
        assertThat(page.toString()).doesNotContain(longLived);

        // A redrive starts a new 60 s window and a new set of attempts: still failing, it is given up again
        // after one attempt, for its age; once the upstream answers, it is delivered with the same request id.
        String shortId = item(page, shortLived).get("invocationId").asText();
        JsonNode redriven = admin("RedriveDeadLetters", "{\"apiId\":\"" + API + "\",\"invocationIds\":[\"" + shortId
                + "\"]}");
        assertThat(redriven.get("redriven")).hasSize(1);
        assertThat(nextAttempts(1)).extracting(Attempt::requestId).containsExactly(shortLived);
        JsonNode again = item(awaitDeadLetters(2), shortLived);
        assertThat(again.get("invocationId").asText()).isEqualTo(shortId);
        assertThat(again.get("attempts").asInt()).isEqualTo(1);
        assertThat(again.get("lastError").asText()).isEqualTo("maximum event age exceeded; last error: upstream answered 503");

        healthy.set(true);
        admin("RedriveDeadLetters", "{\"apiId\":\"" + API + "\",\"invocationIds\":[\"" + shortId + "\"]}");
        assertThat(nextAttempts(1)).singleElement().satisfies(a -> {
            assertThat(a.requestId()).isEqualTo(shortLived);
            assertThat(a.path()).isEqualTo("/short");
            assertThat(a.accepted()).isTrue();
        });
        assertThat(admin("ListDeadLetters", "{\"apiId\":\"" + API + "\"}").get("items")).extracting(i -> i.get("requestId")
                .asText()).containsExactly(event);
    }
}
