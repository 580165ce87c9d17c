package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpListenerTest {

    private Vertx vertx;
    private HttpListener listener;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<InboundRequest> seen = new AtomicReference<>();
    private volatile Promise<OutboundResponse> held;

    private final HttpService service = new HttpService() {
        @Override
        public Future<OutboundResponse> handle(InboundRequest request) {
            seen.set(request);
            if (request.rawPath().equals("/slow")) {
                held = Promise.promise();
                return held.future();
            }
            if (request.rawPath().equals("/boom")) {
                throw new IllegalStateException("bug");
            }
            return Future.succeededFuture(OutboundResponse.text(200, "got " + request.body().length));
        }

        @Override
        public OutboundResponse refuse(InboundRequest request, Refusal refusal) {
            return OutboundResponse.text(switch (refusal) {
                case BODY_TOO_LARGE -> 413;
                case MALFORMED_REQUEST -> 400;
                case TIMEOUT, SHUTTING_DOWN -> 503;
                case INTERNAL_ERROR -> 500;
            }, refusal.name());
        }
    };

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        listener = new HttpListener(vertx, new HttpListener.Settings("127.0.0.1", 0, 4096, Duration.ofMillis(500),
                Duration.ofSeconds(5), null, null), service);
        listener.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void passesTheWholeBodyAndReturnsTheRequestId() throws Exception {
        HttpResponse<String> r = post("/a%20b?x=1", "Action=ListUsers".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("got 16");
        InboundRequest req = seen.get();
        assertThat(req.rawPath()).isEqualTo("/a%20b");
        assertThat(req.rawQuery()).isEqualTo("x=1");
        assertThat(r.headers().firstValue("x-amzn-RequestId")).contains(req.requestId());
        assertThat(req.correlationId()).isEqualTo(req.requestId());
        assertThat(req.sourceIp()).isEqualTo("127.0.0.1");
    }

    @Test
    void takesTheCorrelationIdFromTheHeaderOrTraceparent() throws Exception {
        post("/", new byte[0], "X-Correlation-Id", "order-42");
        assertThat(seen.get().correlationId()).isEqualTo("order-42");
        post("/", new byte[0], "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(seen.get().correlationId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        post("/", new byte[0], "X-Correlation-Id", "bad id with spaces");
        assertThat(seen.get().correlationId()).isEqualTo(seen.get().requestId());
    }

    @Test
    void refusesBodiesOverTheLimit() throws Exception {
        assertThat(post("/", new byte[4097]).statusCode()).isEqualTo(413);
        assertThat(post("/", new byte[4096]).statusCode()).isEqualTo(200);
        assertThat(listener.inFlight()).isZero();
    }

    @Test
    void answersUnexpectedFailuresWithoutLeakingThem() throws Exception {
        HttpResponse<String> r = post("/boom", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("INTERNAL_ERROR").doesNotContain("bug");
    }

    @Test
    void timesOutSlowHandlers() throws Exception {
        HttpResponse<String> r = post("/slow", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("TIMEOUT");
        assertThat(listener.inFlight()).isZero();
    }

    @Test
    void shutdownFinishesInFlightRequestsAndRefusesNewOnes() throws Exception {
        listener = new HttpListener(vertx, new HttpListener.Settings("127.0.0.1", 0, 4096, Duration.ofSeconds(10),
                Duration.ofSeconds(5), null, null), service);
        listener.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/slow", new byte[0]);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (held == null) {
            Thread.sleep(5);
        }
        CompletableFuture<Void> closed = listener.close().toCompletionStage().toCompletableFuture();
        Thread.sleep(100);
        assertThat(closed).isNotDone();
        HttpResponse<String> refused = post("/", new byte[0]);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("SHUTTING_DOWN");
        vertx.runOnContext(v -> held.complete(OutboundResponse.text(200, "finished")));
        assertThat(slow.get(5, TimeUnit.SECONDS).body()).isEqualTo("finished");
        closed.get(5, TimeUnit.SECONDS);
    }

    @Test
    void servesFromSeveralEventLoopsOnOnePort() throws Exception {
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        HttpService threadNames = new HttpService() {
            @Override
            public Future<OutboundResponse> handle(InboundRequest request) {
                threads.add(Thread.currentThread().getName());
                return Future.succeededFuture(OutboundResponse.text(200, "ok"));
            }

            @Override
            public OutboundResponse refuse(InboundRequest request, Refusal refusal) {
                return OutboundResponse.text(503, refusal.name());
            }
        };
        HttpListener two = new HttpListener(vertx, new HttpListener.Settings("127.0.0.1", 0, 4096, Duration.ofSeconds(5),
                Duration.ofSeconds(5), null, null, 2), threadNames);
        int port = two.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(port).isPositive().isNotEqualTo(listener.port());
        // Each new connection goes to the next instance: four connections reach both event loops.
        for (int i = 0; i < 4; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .startsWith("HTTP/1.1 200");
            }
        }
        assertThat(threads).hasSize(2);
        two.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        // Closed: the shared socket is gone once every instance has closed.
        boolean refused = false;
        for (int i = 0; i < 50 && !refused; i++) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1_000);
                Thread.sleep(20); // closing may finish just after the close future
            } catch (java.io.IOException e) {
                refused = true;
            }
        }
        assertThat(refused).as("the port is closed").isTrue();
    }
}
