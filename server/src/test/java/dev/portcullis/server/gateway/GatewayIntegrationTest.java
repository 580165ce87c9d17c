package dev.portcullis.server.gateway;

import static dev.portcullis.server.testing.NodeUnderTest.ACCOUNT;
import static dev.portcullis.server.testing.NodeUnderTest.ROOT_KEY_ID;
import static dev.portcullis.server.testing.NodeUnderTest.ROOT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.portcullis.audit.event.Redactor;
import dev.portcullis.server.testing.NodeUnderTest;
import dev.portcullis.server.testing.SignedHttp;
import dev.portcullis.state.change.Change;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Reference scenario 1 end to end: a verification service calls an execution service through the
 * gateway with IAM auth; the API's resource policy admits only the verification role. Requests are
 * signed by the AWS SDK's own SigV4 signer for {@code execute-api}.
 */
class GatewayIntegrationTest {

    static final String API = "execapi01";
    static final String TRUST_ACCOUNT = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
             "Action":"sts:AssumeRole"}]}""";
    static final String RESOURCE_POLICY = """
            {"Version":"2012-10-17","Statement":[
             {"Sid":"VerificationLayerOnly","Effect":"Allow",
              "Principal":{"AWS":"arn:aws:iam::111122223333:role/SlackBotVerificationRole"},
              "Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:execapi01/*"},
             {"Sid":"NoOneDeletes","Effect":"Deny","Principal":"*","Action":"execute-api:Invoke",
              "Resource":"arn:aws:execute-api:us-east-1:111122223333:execapi01/*/DELETE/*"}]}""";
    static final String PAYLOAD = "{\"channel\":\"C0123\",\"text\":\"summarise the incident\",\"ts\":\"1732329000.000100\","
            + "\"bot_token\":\"xoxb-not-a-real-token\",\"emoji\":\"\\u2713 ✓\"}";

    /** A request as the upstream received it. */
    record Captured(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }
    }

    static final BlockingQueue<Captured> received = new LinkedBlockingQueue<>();
    static final AtomicInteger flakyFailures = new AtomicInteger();
    static AwsSessionCredentials verification;
    static AwsSessionCredentials other;
    static String base;

    @RegisterExtension
    static final NodeUnderTest node = NodeUnderTest.withFlags("gateway-retry-backoff", "50ms")
            .upstream(GatewayIntegrationTest::answer);

    /**
     * Captures the request and answers {@code {"accepted":true}}, except: {@code /slow…} answers after 3 s,
     * {@code /flaky…} answers 503 while {@link #flakyFailures} lasts, {@code /cookies…} adds repeated
     * headers, {@code /created…} answers 201.
     */
    static void answer(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        String path = exchange.getRequestURI().getRawPath();
        if (path.startsWith("/slow")) {
            // Answers long after the route's timeout; never captured, so later tests don't see it.
            sleep(3_000);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
        }
        if (path.startsWith("/flaky") && flakyFailures.getAndDecrement() > 0) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        received.add(new Captured(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                headers, body));
        byte[] answer = "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Execution-Layer", "bedrock-processor");
        if (path.startsWith("/cookies")) {
            exchange.getResponseHeaders().add("Set-Cookie", "session=abc; Path=/; HttpOnly");
            exchange.getResponseHeaders().add("Set-Cookie", "theme=dark, light; Path=/");
            exchange.getResponseHeaders().add("Vary", "Accept");
            exchange.getResponseHeaders().add("Vary", "Origin");
        }
        exchange.sendResponseHeaders(path.startsWith("/created") ? 201 : 200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @BeforeAll
    static void start() throws Exception {
        String up = node.upstreamUrl();
        var state = node.state();
        state.apply(Change.CreateRole.of(ACCOUNT, "SlackBotVerificationRole", "/", TRUST_ACCOUNT));
        state.apply(Change.CreateRole.of(ACCOUNT, "SlackBotReportingRole", "/", TRUST_ACCOUNT));
        state.apply(new Change.PutApi(API, ACCOUNT, "execution-layer", Optional.of(RESOURCE_POLICY), Map.of(), Instant.now()));
        state.apply(new Change.PutStage(API, "prod", Map.of()));
        route("POST /execute", up, "IAM", "sync", Map.of());
        route("POST /events", up, "IAM", "async", Map.of());
        route("POST /flaky", up, "IAM", "async", Map.of("maxAttempts", "3"));
        route("ANY /report/{proxy+}", up, "IAM_REPORT_ONLY", "sync", Map.of());
        route("GET /slow", up, "IAM", "sync", Map.of("timeoutMillis", "500"));
        route("POST /down", "http://127.0.0.1:" + closedPort(), "IAM", "sync", Map.of());
        route("POST /small", up, "IAM", "sync", Map.of("maxBodyBytes", "16"));
        route("GET /open/{id}", up, "NONE", "sync", Map.of());
        route("ANY /created/{proxy+}", up, "IAM", "sync", Map.of());
        route("DELETE /execute", up, "IAM", "sync", Map.of());
        route("POST /dead", "http://127.0.0.1:" + closedPort(), "IAM", "async", Map.of("maxAttempts", "2"));
        route("POST /once", up, "IAM", "sync", Map.of("replayProtection", "true"));
        route("POST /unsigned", up, "IAM", "sync", Map.of("allowUnsignedPayload", "true"));
        route("GET /cookies", up, "NONE", "sync", Map.of());
        route("POST /medium", up, "IAM", "sync", Map.of("maxBodyBytes", Integer.toString(2 * 1024 * 1024)));

        verification = assume("SlackBotVerificationRole");
        other = assume("SlackBotReportingRole");
        base = "http://127.0.0.1:" + node.gatewayPort() + "/" + API + "/prod";
    }

    private static void route(String key, String upstreamUrl, String auth, String invocation, Map<String, String> attrs)
            throws Exception {
        node.state().apply(new Change.PutRoute(API, key, upstreamUrl, auth, invocation, attrs));
    }

    private static AwsSessionCredentials assume(String role) {
        try (StsClient sts = StsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + node.port())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_KEY_ID, ROOT_SECRET)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none()).build())
                .build()) {
            Credentials c = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + ACCOUNT + ":role/" + role)
                    .roleSessionName("layer-auth-test")).credentials();
            return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
        }
    }

    private static int closedPort() throws IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @BeforeEach
    void drain() {
        received.clear();
    }

    /** Sends a request, signed with {@code credentials} for execute-api unless null. */
    static HttpResponse<String> send(String method, String path, String body, AwsCredentialsIdentity credentials,
                                     Map<String, String> extraHeaders) throws Exception {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().uri(URI.create(base + path))
                .method(SdkHttpMethod.fromValue(method));
        if (body != null) {
            request.putHeader("Content-Type", "application/json");
        }
        extraHeaders.forEach(request::putHeader);
        return node.http().send(request.build(), bytes, credentials, "execute-api");
    }

    static HttpResponse<String> send(String method, String path, String body, AwsCredentialsIdentity credentials)
            throws Exception {
        return send(method, path, body, credentials, Map.of());
    }

    @Test
    void anUnsignedPayloadIsRefusedUnlessTheRouteAllowsIt() throws Exception {
        assertThat(sendUnsignedPayload("/execute").statusCode()).isEqualTo(403);
        assertThat(sendUnsignedPayload("/execute").body()).contains("accepts only signed payloads");
        received.clear();
        HttpResponse<String> allowed = sendUnsignedPayload("/unsigned");
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(received.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
    }

    /** POST {@code PAYLOAD} signed with {@code X-Amz-Content-Sha256: UNSIGNED-PAYLOAD} (the body not covered). */
    private static HttpResponse<String> sendUnsignedPayload(String path) throws Exception {
        byte[] bytes = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(base + path);
        dev.portcullis.core.sigv4.SigningRequest request = new dev.portcullis.core.sigv4.SigningRequest("POST",
                uri.getRawPath(), null, Map.of("host", List.of(uri.getHost() + ":" + uri.getPort()),
                "content-type", List.of("application/json")), bytes);
        var signed = dev.portcullis.core.sigv4.SigV4Signer.create().withUnsignedPayload(true).sign(request,
                new dev.portcullis.core.sigv4.AwsCredentials(verification.accessKeyId(),
                        dev.portcullis.core.sigv4.SigningSecret.of(verification.secretAccessKey()),
                        verification.sessionToken()), "us-east-1", "execute-api");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("content-type", "application/json");
        signed.headers().forEach((k, v) -> {
            if (!Set.of("host", "content-length").contains(k.toLowerCase(Locale.ROOT))) {
                b.header(k, v);
            }
        });
        return node.http().send(b.build());
    }

    @Test
    void aReplayProtectedRouteAcceptsEachSignedRequestOnce() throws Exception {
        byte[] bytes = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().uri(URI.create(base + "/once")).method(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/json").build();
        HttpRequest replayable = SignedHttp.request(SignedHttp.sign(request, bytes, verification, "execute-api"),
                HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        assertThat(node.http().send(replayable).statusCode()).isEqualTo(200);
        next();
        HttpResponse<String> replay = node.http().send(replayable);
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(replay.body()).contains("already received");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("the replay never reached the upstream").isNull();
        // A freshly signed request (new date, new signature) is accepted.
        Thread.sleep(1_100);
        assertThat(send("POST", "/once", PAYLOAD, verification).statusCode()).isEqualTo(200);
    }

    static Captured next() throws InterruptedException {
        Captured c = received.poll(10, TimeUnit.SECONDS);
        assertThat(c).as("the upstream received a request").isNotNull();
        return c;
    }

    @Test
    void aFiveMegabyteBodyReachesAGatewayRouteOnTheSharedPortWhoseApisKeepTheirOneMebibyteLimit() throws Exception {
        assertThat(node.gatewayPort()).as("the gateway shares the API listener").isEqualTo(node.port());
        StringBuilder big = new StringBuilder(5 * 1024 * 1024 + 64).append("{\"blob\":\"");
        while (big.length() < 5 * 1024 * 1024) {
            big.append("0123456789abcdef");
        }
        String body = big.append("\"}").toString();
        HttpResponse<String> r = send("POST", "/execute", body, verification);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Captured c = next();
        assertThat(c.body()).hasSize(body.length()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));

        // A route's own smaller limit is enforced from Content-Length, in API Gateway's shape.
        String tooLarge = rawPost(API + "/prod/medium", 3 * 1024 * 1024);
        assertThat(tooLarge).startsWith("HTTP/1.1 413").endsWith("{\"message\":\"Request Too Long\"}");
        // The IAM/STS APIs on the same port keep the listener's 1 MiB, in the Query API's shape.
        String iam = rawPost("", 2 * 1024 * 1024);
        assertThat(iam).startsWith("HTTP/1.1 413").contains("<Code>RequestEntityTooLarge</Code>");
        assertThat(received).isEmpty();
    }

    /** Announces a body of {@code length} bytes to {@code /path} without sending it; returns the whole answer. */
    private static String rawPost(String path, int length) throws IOException {
        try (var socket = new java.net.Socket("127.0.0.1", node.port())) {
            socket.getOutputStream().write(("POST /" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void repeatedHeadersStayRepeatedBothWays() throws Exception {
        HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create(base + "/cookies"))
                .header("X-Trace", "a").header("X-Trace", "b, c").build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().allValues("set-cookie"))
                .containsExactly("session=abc; Path=/; HttpOnly", "theme=dark, light; Path=/");
        assertThat(r.headers().allValues("vary")).containsExactly("Accept", "Origin");
        assertThat(r.headers().allValues("x-amzn-RequestId")).hasSize(1);
        Captured c = next();
        assertThat(c.headers().get("x-trace")).containsExactly("a", "b, c");
    }

    @Test
    void anUnsignedRequestIsRefusedWithMissingAuthenticationToken() throws Exception {
        HttpResponse<String> r = send("POST", "/execute", PAYLOAD, null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).contains("MissingAuthenticationTokenException");
        assertThat(received).isEmpty();
    }

    @Test
    void theVerificationRoleReachesTheExecutionServiceWithTheIdenticalBodyAndItsIdentity() throws Exception {
        HttpResponse<String> r = send("POST", "/execute?source=slack&retry=0", PAYLOAD, verification,
                Map.of("X-Portcullis-Principal-Arn", "arn:aws:iam::111122223333:root", "X-Slack-Signature", "v0=abc"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"accepted\":true}");
        assertThat(r.headers().firstValue("x-execution-layer")).contains("bedrock-processor");
        String requestId = r.headers().firstValue("x-amzn-RequestId").orElseThrow();

        Captured c = next();
        assertThat(c.method()).isEqualTo("POST");
        assertThat(c.path()).isEqualTo("/execute");
        assertThat(c.query()).isEqualTo("source=slack&retry=0");
        assertThat(c.body()).isEqualTo(PAYLOAD.getBytes(StandardCharsets.UTF_8));
        assertThat(c.header("x-portcullis-principal-arn"))
                .isEqualTo("arn:aws:sts::111122223333:assumed-role/SlackBotVerificationRole/layer-auth-test");
        assertThat(c.header("x-portcullis-account-id")).isEqualTo(ACCOUNT);
        assertThat(c.header("x-portcullis-caller-id")).startsWith("AROA").endsWith(":layer-auth-test");
        assertThat(c.header("x-portcullis-request-id")).isEqualTo(requestId);
        assertThat(c.header("x-portcullis-source-ip")).isEqualTo("127.0.0.1");
        assertThat(c.header("x-slack-signature")).isEqualTo("v0=abc");
        assertThat(c.header("x-amz-date")).isNotNull();
        assertThat(c.header("content-type")).isEqualTo("application/json");
        assertThat(c.headers()).doesNotContainKeys("authorization", "x-amz-security-token");
        assertThat(c.headers().get("x-portcullis-principal-arn")).hasSize(1);
    }

    @Test
    void anotherRoleIsRefusedWithApiGatewaysMessage() throws Exception {
        HttpResponse<String> r = send("POST", "/execute", PAYLOAD, other);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).contains("AccessDeniedException");
        assertThat(r.body()).isEqualTo("{\"message\":\"User: arn:aws:sts::111122223333:assumed-role/SlackBotReportingRole/"
                + "layer-auth-test is not authorized to perform: execute-api:Invoke on resource: "
                + "arn:aws:execute-api:us-east-1:111122223333:execapi01/prod/POST/execute\"}");
        assertThat(received).isEmpty();
        String event = auditLine(r.headers().firstValue("x-amzn-RequestId").orElseThrow());
        assertThat(event).contains("\"eventSource\":\"execute-api.amazonaws.com\"").contains("AccessDeniedException")
                .contains("ImplicitDeny").contains("\"reportOnly\":false").contains("SlackBotReportingRole")
                .contains("\"authorizationType\":\"IAM\"").contains("\"routeKey\":\"POST /execute\"")
                .contains("\"status\":\"403\"").doesNotContain(Redactor.HIDDEN);
    }

    @Test
    void anExplicitDenyInTheResourcePolicyIsNamed() throws Exception {
        HttpResponse<String> r = send("DELETE", "/execute", null, verification);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).endsWith("execapi01/prod/DELETE/execute with an explicit deny\"}");
    }

    @Test
    void aWrongSecretOrUnknownKeyIsRefusedAsApiGatewayDoes() throws Exception {
        HttpResponse<String> wrong = send("POST", "/execute", PAYLOAD, AwsSessionCredentials.create(
                verification.accessKeyId(), "x" + verification.secretAccessKey(), verification.sessionToken()));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("x-amzn-ErrorType")).contains("InvalidSignatureException");
        assertThat(wrong.body()).isEqualTo("{\"message\":\"" + GatewayErrors.SIGNATURE_MISMATCH + "\"}");

        HttpResponse<String> unknown = send("POST", "/execute", PAYLOAD,
                AwsBasicCredentials.create("AKIAUNKNOWNEXAMPLE00", ROOT_SECRET));
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).contains("UnrecognizedClientException");
        assertThat(unknown.body()).isEqualTo("{\"message\":\"The security token included in the request is invalid.\"}");
        assertThat(received).isEmpty();
    }

    @Test
    void aTamperedBodyDoesNotVerify() throws Exception {
        byte[] bytes = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest req = SdkHttpRequest.builder().uri(URI.create(base + "/execute")).method(SdkHttpMethod.POST).build();
        SdkHttpRequest signed = SignedHttp.sign(req, bytes, verification, "execute-api");
        HttpResponse<String> r = node.http().send(SignedHttp.request(signed,
                HttpRequest.BodyPublishers.ofString(PAYLOAD.replace("incident", "invoices"))).build());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).contains("InvalidSignatureException");
        assertThat(received).isEmpty();
    }

    @Test
    void reportOnlyLetsAnotherRoleThroughAndRecordsTheWouldBeDeny() throws Exception {
        HttpResponse<String> r = send("PUT", "/report/daily/2026-11-23", PAYLOAD, other);
        assertThat(r.statusCode()).isEqualTo(200);
        Captured c = next();
        assertThat(c.path()).isEqualTo("/report/daily/2026-11-23");
        assertThat(c.header("x-portcullis-principal-arn")).contains("SlackBotReportingRole");
        String requestId = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
        String event = auditLine(requestId);
        assertThat(event).contains("\"reportOnly\":true").contains("ImplicitDeny").contains("\"eventName\":\"Invoke\"");
    }

    @Test
    void asyncInvocationAnswers202AndIsDeliveredWithTheSameRequestId() throws Exception {
        HttpResponse<String> r = send("POST", "/events", PAYLOAD, verification);
        assertThat(r.statusCode()).isEqualTo(202);
        String requestId = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
        assertThat(r.body()).isEqualTo("{\"requestId\":\"" + requestId + "\"}");
        Captured c = next();
        assertThat(c.path()).isEqualTo("/events");
        assertThat(c.body()).isEqualTo(PAYLOAD.getBytes(StandardCharsets.UTF_8));
        assertThat(c.header("x-portcullis-request-id")).isEqualTo(requestId);
        assertThat(c.header("x-portcullis-principal-arn")).contains("SlackBotVerificationRole");
        assertThat(c.headers()).doesNotContainKeys("authorization", "x-amz-security-token");
    }

    @Test
    void theEventInvocationTypeHeaderMakesASyncRouteAsync() throws Exception {
        HttpResponse<String> r = send("POST", "/execute", PAYLOAD, verification, Map.of("X-Amz-Invocation-Type", "Event"));
        assertThat(r.statusCode()).isEqualTo(202);
        Captured c = next();
        assertThat(c.header("x-portcullis-request-id")).isEqualTo(r.headers().firstValue("x-amzn-RequestId").orElseThrow());
    }

    @Test
    void asyncDeliveryRetriesAFailingUpstream() throws Exception {
        flakyFailures.set(1);
        HttpResponse<String> r = send("POST", "/flaky", PAYLOAD, verification);
        assertThat(r.statusCode()).isEqualTo(202);
        Captured c = next();
        assertThat(c.header("x-portcullis-request-id")).isEqualTo(r.headers().firstValue("x-amzn-RequestId").orElseThrow());
        assertThat(flakyFailures.get()).isLessThanOrEqualTo(0);
    }

    @Test
    void anUnreachableUpstreamIs502() throws Exception {
        HttpResponse<String> r = send("POST", "/down", PAYLOAD, verification);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("{\"message\":\"Internal server error\"}");
    }

    @Test
    void aSlowUpstreamIs504AfterTheRouteTimeout() throws Exception {
        HttpResponse<String> r = send("GET", "/slow", null, verification);
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).isEqualTo("{\"message\":\"Endpoint request timed out\"}");
    }

    @Test
    void aBodyOverTheRouteLimitIs413() throws Exception {
        HttpResponse<String> r = send("POST", "/small", PAYLOAD, verification);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(received).isEmpty();
    }

    @Test
    void noRouteIs404AndNoAuthRoutesNeedNoSignature() throws Exception {
        HttpResponse<String> none = send("GET", "/nowhere", null, verification);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).isEqualTo("{\"message\":\"Not Found\"}");
        // audited too, anonymously (the request was not authenticated): probing for routes leaves a trace
        assertThat(auditLine(none.headers().firstValue("x-amzn-RequestId").orElseThrow()))
                .contains("\"eventName\":\"Invoke\"").contains("\"errorCode\":\"NotFoundException\"")
                .contains("\"path\":\"/nowhere\"").contains("\"status\":\"404\"")
                .contains("\"userIdentity\":{\"type\":\"Anonymous\"}").doesNotContain("\"decision\"");
        HttpResponse<String> open = send("GET", "/open/42", null, null);
        assertThat(open.statusCode()).isEqualTo(200);
        Captured c = next();
        assertThat(c.path()).isEqualTo("/open/42");
        assertThat(c.headers()).doesNotContainKey("x-portcullis-principal-arn");
        assertThat(c.header("x-portcullis-request-id")).isNotNull();
        assertThat(auditLine(open.headers().firstValue("x-amzn-RequestId").orElseThrow()))
                .contains("\"authorizationType\":\"NONE\"").contains("\"userIdentity\":{\"type\":\"Anonymous\"}")
                .contains("\"path\":\"/open/42\"").doesNotContain("\"decision\"");
    }

    @Test
    void theUpstreamStatusIsPassedThrough() throws Exception {
        HttpResponse<String> r = send("POST", "/created/a/b", PAYLOAD, verification);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(next().path()).isEqualTo("/created/a/b");
    }

    @Test
    void theApiListenerStillServesStsBesideTheGateway() throws Exception {
        HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/healthz"))
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredSignatureIsRefusedWithTheSigV4Message() throws Exception {
        java.time.Clock past = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(-30));
        SdkHttpRequest req = SdkHttpRequest.builder().uri(URI.create(base + "/execute")).method(SdkHttpMethod.POST).build();
        byte[] bytes = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest signed = SignedHttp.sign(req, bytes, verification, "execute-api", past);
        HttpResponse<String> r = node.http().send(SignedHttp.request(signed, HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).contains("InvalidSignatureException");
        assertThat(r.body()).startsWith("{\"message\":\"Signature expired: ").contains("is now earlier than");
    }

    @Test
    void reportOnlyForwardsUnsignedRequestsAndAuditsTheWouldBeRefusal() throws Exception {
        HttpResponse<String> r = send("POST", "/report/unsigned", PAYLOAD, null);
        assertThat(r.statusCode()).isEqualTo(200);
        Captured c = next();
        assertThat(c.headers()).doesNotContainKey("x-portcullis-principal-arn");
        assertThat(auditLine(r.headers().firstValue("x-amzn-RequestId").orElseThrow()))
                .contains("report-only: Missing Authentication Token");
    }

    @Test
    void anExecuteApiHostNamesTheApiAndThePathStartsWithTheStage() throws Exception {
        String saved = base;
        base = "http://127.0.0.1:" + node.gatewayPort() + "/prod";
        try {
            // The SDK signs the Host it is given; the gateway reads the API id from it.
            HttpResponse<String> r = sendWithHost("execapi01.execute-api.us-east-1.amazonaws.com", "/execute", verification);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(next().header("x-portcullis-principal-arn")).contains("SlackBotVerificationRole");
        } finally {
            base = saved;
        }
    }

    private static HttpResponse<String> sendWithHost(String host, String path, AwsCredentialsIdentity credentials)
            throws Exception {
        byte[] bytes = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        URI signedUri = URI.create("http://" + host + "/prod" + path);
        SdkHttpRequest req = SdkHttpRequest.builder().uri(signedUri).method(SdkHttpMethod.POST).build();
        SdkHttpRequest signed = SignedHttp.sign(req, bytes, credentials, "execute-api");
        // java.net.http does not let a caller set Host: speak HTTP/1.1 over a socket.
        try (var socket = new java.net.Socket("127.0.0.1", node.gatewayPort())) {
            StringBuilder head = new StringBuilder("POST /prod" + path + " HTTP/1.1\r\n");
            signed.headers().forEach((k, vs) -> vs.forEach(v -> head.append(k).append(": ").append(v).append("\r\n")));
            if (signed.firstMatchingHeader("Host").isEmpty()) {
                head.append("Host: ").append(host).append("\r\n");
            }
            head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
            var out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            return new FakeResponse(status, answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    /** Just enough of an HttpResponse for the raw-socket case. */
    private record FakeResponse(int statusCode, String body) implements HttpResponse<String> {
        public HttpRequest request() {
            return null;
        }

        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        public Optional<javax.net.ssl.SSLSession> sslSession() {
            return Optional.empty();
        }

        public URI uri() {
            return null;
        }

        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    @Test
    void anUndeliverableAsyncInvocationIsDeadLetteredAfterItsAttempts() throws Exception {
        HttpResponse<String> r = send("POST", "/dead", PAYLOAD, verification);
        assertThat(r.statusCode()).isEqualTo(202);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<dev.portcullis.state.jobs.Job> dead = List.of();
        while (System.nanoTime() < deadline && dead.isEmpty()) {
            Thread.sleep(200);
            dead = node.state().jobs().dead(Delivery.QUEUE, 10);
        }
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).attempts()).isEqualTo(2);
        assertThat(Delivery.decode(dead.get(0).payload()).requestId())
                .isEqualTo(r.headers().firstValue("x-amzn-RequestId").orElseThrow());
    }

    /** The audit line of {@code requestId}, waiting for the recorder's writer. */
    static String auditLine(String requestId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(node.dataDir().resolve("audit"))) {
                files = s.filter(Files::isRegularFile).toList();
            }
            for (Path f : files) {
                for (String line : readLines(f)) {
                    if (line.contains(requestId)) {
                        return line;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no audit event for " + requestId);
    }

    private static List<String> readLines(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] all = in.readAllBytes();
            List<String> out = new ArrayList<>();
            for (String l : new String(all, StandardCharsets.UTF_8).split("\n")) {
                out.add(l);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
