package dev.portcullis.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ForwarderTest {

    Vertx vertx;
    HttpServer upstream;
    Forwarder forwarder;
    String url;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", ex -> {
            int size = Integer.parseInt(ex.getRequestURI().getQuery().substring("size=".length()));
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[1024];
            try (var out = ex.getResponseBody()) {
                for (int sent = 0; sent < size; sent += chunk.length) {
                    out.write(chunk, 0, Math.min(chunk.length, size - sent));
                }
            } catch (java.io.IOException closedByTheGateway) {
                // expected for the oversized answer
            }
        });
        upstream.start();
        url = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/";
        forwarder = new Forwarder(vertx, 64 * 1024);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        upstream.stop(0);
    }

    private Forwarder.Answer send(int size) throws Exception {
        return forwarder.send(new Forwarder.Outgoing("POST", url + "?size=" + size, List.of(Map.entry("x-a", "1")),
                "ping".getBytes(StandardCharsets.UTF_8)), 5_000).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void returnsAResponseWithinTheLimitWhole() throws Exception {
        Forwarder.Answer a = send(64 * 1024);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).hasSize(64 * 1024);
    }

    @Test
    void failsAResponseOverTheLimitWithoutBufferingIt() {
        try {
            send(64 * 1024 + 1);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(Forwarder.ResponseTooLarge.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void setsTheSameTargetAsAnAbsoluteUri() {
        for (String url : List.of("http://127.0.0.1:8080/jobs/1?a=b&c", "http://127.0.0.1:8080", "http://127.0.0.1:8080?x=1",
                "https://svc.internal/prod/x%20y", "http://svc.internal/", "https://svc.internal:8443/a/b/",
                "http://user@svc.internal/x", "http://[::1]:9000/x", "http://svc.internal/x#frag", "http://Svc.Internal:80/")) {
            io.vertx.core.http.RequestOptions fast = Forwarder.options(url, new java.util.HashMap<>());
            io.vertx.core.http.RequestOptions ref = new io.vertx.core.http.RequestOptions().setAbsoluteURI(url);
            assertThat(List.of(fast.getHost(), fast.getPort(), fast.isSsl(), fast.getURI())).as(url)
                    .isEqualTo(List.of(ref.getHost(), ref.getPort(), ref.isSsl(), ref.getURI()));
        }
    }

    /** Calls {@code send} and waits for its outcome. */
    private Forwarder.Answer call(Forwarder f, String method, String target, long timeoutMillis) throws Exception {
        return f.send(new Forwarder.Outgoing(method, target, List.of(Map.entry("x-a", "1")),
                method.equals("GET") ? new byte[0] : "ping".getBytes(StandardCharsets.UTF_8)), timeoutMillis)
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /**
     * A scripted upstream on a raw socket: for each connection, reads requests (head and
     * {@code Content-Length} body), records them, and writes {@code answer.apply(request)} (closing the
     * connection after it when the answer is {@code null}-terminated by {@link #CLOSE}).
     */
    static final class RawUpstream implements AutoCloseable {
        static final String CLOSE = "\u0000close";
        final java.net.ServerSocket socket;
        final java.util.List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.Set<Integer> clientPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();

        RawUpstream(java.util.function.Function<String, String> answer) throws java.io.IOException {
            socket = new java.net.ServerSocket(0, 200, java.net.InetAddress.getLoopbackAddress());
            threads.execute(() -> {
                while (!socket.isClosed()) {
                    try {
                        java.net.Socket s = socket.accept();
                        clientPorts.add(s.getPort());
                        threads.execute(() -> serve(s, answer));
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
        }

        private void serve(java.net.Socket s, java.util.function.Function<String, String> answer) {
            try (s) {
                var in = new java.io.DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
                var out = s.getOutputStream();
                while (true) {
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            return;
                        }
                        head.append((char) b);
                    }
                    int length = 0;
                    for (String line : head.toString().split("\r\n")) {
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    byte[] body = new byte[length];
                    in.readFully(body);
                    String request = head + new String(body, StandardCharsets.ISO_8859_1);
                    requests.add(request);
                    String a = answer.apply(request);
                    boolean close = a.endsWith(CLOSE);
                    out.write((close ? a.substring(0, a.length() - CLOSE.length()) : a).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (close) {
                        return;
                    }
                }
            } catch (java.io.IOException gone) {
                // the forwarder closed the connection
            }
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
            threads.shutdownNow();
        }
    }

    @Test
    void reusesOneKeepAliveConnectionAndSendsHostAndLength() throws Exception {
        try (RawUpstream up = new RawUpstream(r -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Up: a\r\nX-Up: b\r\n\r\nok")) {
            for (int i = 0; i < 5; i++) {
                Forwarder.Answer a = call(forwarder, "POST", up.url() + "/jobs?n=" + i, 5_000);
                assertThat(a.status()).isEqualTo(200);
                assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
                assertThat(a.headers().getAll("x-up")).containsExactly("a", "b");
            }
            assertThat(up.clientPorts).hasSize(1);
            assertThat(up.requests.get(0)).startsWith("POST /jobs?n=0 HTTP/1.1\r\n")
                    .contains("\r\nhost: 127.0.0.1:" + up.socket.getLocalPort() + "\r\n")
                    .contains("\r\ncontent-length: 4\r\n").contains("\r\nx-a: 1\r\n").endsWith("\r\n\r\nping");
            call(forwarder, "GET", up.url() + "/", 5_000);
            assertThat(up.requests.get(5)).startsWith("GET / HTTP/1.1").doesNotContainIgnoringCase("content-length");
        }
    }

    @Test
    void skipsAnInterimAnswerAndReadsABodyThatEndsWithTheConnection() throws Exception {
        try (RawUpstream up = new RawUpstream(r -> r.startsWith("POST")
                ? "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone"
                : "HTTP/1.0 200 OK\r\n\r\nuntil the end" + RawUpstream.CLOSE)) {
            Forwarder.Answer created = call(forwarder, "POST", up.url() + "/a", 5_000);
            assertThat(created.status()).isEqualTo(201);
            assertThat(new String(created.body(), StandardCharsets.UTF_8)).isEqualTo("done");
            Forwarder.Answer whole = call(forwarder, "GET", up.url() + "/b", 5_000);
            assertThat(new String(whole.body(), StandardCharsets.UTF_8)).isEqualTo("until the end");
            // the closed connection is not reused: the next request gets a new one and an answer
            assertThat(call(forwarder, "GET", up.url() + "/c", 5_000).status()).isEqualTo(200);
            assertThat(up.clientPorts).hasSize(2);
        }
    }

    @Test
    void failsWhenTheUpstreamClosesMidAnswerOrSendsGarbage() throws Exception {
        try (RawUpstream up = new RawUpstream(r -> r.contains("/cut")
                ? "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part" + RawUpstream.CLOSE
                : r.contains("/garbage") ? "NOT HTTP AT ALL\r\n\r\n" + RawUpstream.CLOSE
                : "HTTP/1.1 204 No Content\r\n\r\n")) {
            assertThatThrownBy(() -> call(forwarder, "GET", up.url() + "/cut", 5_000))
                    .hasCauseInstanceOf(java.io.IOException.class);
            assertThatThrownBy(() -> call(forwarder, "GET", up.url() + "/garbage", 5_000))
                    .isInstanceOf(ExecutionException.class);
            assertThat(call(forwarder, "GET", up.url() + "/fine", 5_000).status()).isEqualTo(204);
        }
    }

    /** An upstream whose second request finds its connection closed without an answer (its idle timeout). */
    private static RawUpstream closingAfterTheFirstAnswer() throws java.io.IOException {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return new RawUpstream(r -> n.incrementAndGet() == 2 ? RawUpstream.CLOSE
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void sendsAnIdempotentRequestAgainOnANewConnectionWhenAReusedOneClosesBeforeAnswering() throws Exception {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            try (RawUpstream up = closingAfterTheFirstAnswer()) {
                assertThat(call(forwarder, "GET", up.url() + "/warm", 5_000).status()).isEqualTo(200);
                Forwarder.Answer a = call(forwarder, method, up.url() + "/again", 5_000);
                assertThat(a.status()).isEqualTo(200);
                assertThat(up.requests).hasSize(3);
                assertThat(up.requests.get(1)).startsWith(method + " /again ");
                assertThat(up.requests.get(2)).isEqualTo(up.requests.get(1));
                assertThat(up.clientPorts).as("the second attempt used a new connection").hasSize(2);
            }
        }
    }

    @Test
    void aPostIsNotSentTwiceUnlessItCarriesAnIdempotencyKey() throws Exception {
        try (RawUpstream up = closingAfterTheFirstAnswer()) {
            assertThat(call(forwarder, "GET", up.url() + "/warm", 5_000).status()).isEqualTo(200);
            assertThatThrownBy(() -> call(forwarder, "POST", up.url() + "/jobs", 5_000))
                    .hasCauseInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("upstream closed the connection before answering");
            assertThat(up.requests).as("the upstream may have acted on it: not sent again").hasSize(2);
        }
        try (RawUpstream up = closingAfterTheFirstAnswer()) {
            assertThat(call(forwarder, "GET", up.url() + "/warm", 5_000).status()).isEqualTo(200);
            Forwarder.Answer a = forwarder.send(new Forwarder.Outgoing("POST", up.url() + "/jobs",
                    List.of(Map.entry("Idempotency-Key", "job-42")), "ping".getBytes(StandardCharsets.UTF_8)), 5_000)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(a.status()).isEqualTo(200);
            assertThat(up.requests).hasSize(3);
            assertThat(up.requests.get(2)).endsWith("\r\n\r\nping");
        }
    }

    @Test
    void aNewConnectionThatClosesBeforeAnsweringIsNotTriedAgain() throws Exception {
        try (RawUpstream up = new RawUpstream(r -> RawUpstream.CLOSE)) {
            assertThatThrownBy(() -> call(forwarder, "GET", up.url() + "/x", 5_000))
                    .hasCauseInstanceOf(java.io.IOException.class);
            assertThat(up.requests).hasSize(1);
        }
        // a request is sent again once, on a new connection, and that connection's failure is final
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        try (RawUpstream up = new RawUpstream(r -> n.incrementAndGet() == 1 || n.get() == 3
                ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" : RawUpstream.CLOSE)) {
            assertThat(call(forwarder, "GET", up.url() + "/1", 5_000).status()).isEqualTo(200);
            assertThat(call(forwarder, "GET", up.url() + "/2", 5_000).status()).as("sent again once").isEqualTo(200);
            // "/3": its reused connection closes, and so does the new one: a failure after exactly two attempts
            assertThatThrownBy(() -> call(forwarder, "GET", up.url() + "/3", 5_000))
                    .hasCauseInstanceOf(java.io.IOException.class);
            assertThat(up.requests).hasSize(5);
            assertThat(up.clientPorts).hasSize(3);
        }
    }

    @Test
    void timesOutAndClosesTheConnectionThenServesTheNextRequest() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (RawUpstream up = new RawUpstream(r -> {
            if (r.contains("/slow")) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        })) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> call(forwarder, "GET", up.url() + "/slow", 300))
                    .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5_000);
            release.countDown();
            assertThat(call(forwarder, "GET", up.url() + "/fast", 5_000).status()).isEqualTo(200);
            assertThat(up.clientPorts).hasSize(2);
        }
    }

    @Test
    void queuesRequestsBeyondThePoolAndAnswersThemAll() throws Exception {
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        try (RawUpstream up = new RawUpstream(r -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        })) {
            // all from one event loop, as a gateway event loop forwards
            io.vertx.core.Context loop = vertx.getOrCreateContext();
            java.util.concurrent.CompletableFuture<List<Integer>> all = new java.util.concurrent.CompletableFuture<>();
            loop.runOnContext(v -> {
                List<io.vertx.core.Future<Forwarder.Answer>> sent = new java.util.ArrayList<>();
                for (int i = 0; i < 3 * Forwarder.POOL_SIZE; i++) {
                    sent.add(forwarder.send(new Forwarder.Outgoing("GET", up.url() + "/" + i, List.of(), new byte[0]), 15_000));
                }
                io.vertx.core.Future.all(sent).onComplete(done -> all.complete(sent.stream()
                        .map(f -> f.succeeded() ? f.result().status() : -1).toList()));
            });
            assertThat(all.get(30, TimeUnit.SECONDS)).hasSize(3 * Forwarder.POOL_SIZE).containsOnly(200);
            assertThat(up.clientPorts).hasSizeLessThanOrEqualTo(Forwarder.POOL_SIZE);
            assertThat(most.get()).isLessThanOrEqualTo(Forwarder.POOL_SIZE);
        }
    }

    @Test
    void failsForAnUnknownHostAndARefusedConnection() throws Exception {
        int free;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            free = s.getLocalPort();
        }
        int port = free;
        assertThatThrownBy(() -> call(forwarder, "GET", "http://127.0.0.1:" + port + "/", 5_000))
                .isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> call(forwarder, "GET", "http://no-such-host.invalid/", 5_000))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void verifiesHttpsUpstreamsCertificateAndHostName() throws Exception {
        io.vertx.core.net.SelfSignedCertificate cert = io.vertx.core.net.SelfSignedCertificate.create("localhost");
        io.vertx.core.http.HttpServer tlsUpstream = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions()
                        .setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
                .requestHandler(req -> req.response().end("secure " + req.getHeader("host")));
        int port = tlsUpstream.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
        Forwarder trusting = new Forwarder(vertx, 1 << 20, io.netty.handler.ssl.SslContextBuilder.forClient()
                .trustManager(new java.io.File(cert.certificatePath())).build());
        try {
            Forwarder.Answer a = call(trusting, "GET", "https://localhost:" + port + "/", 5_000);
            assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("secure localhost:" + port);
            // the certificate names localhost, not 127.0.0.1: the host name check refuses it
            assertThatThrownBy(() -> call(trusting, "GET", "https://127.0.0.1:" + port + "/", 5_000))
                    .isInstanceOf(ExecutionException.class);
            // the JVM's trust store does not know the self-signed certificate
            assertThatThrownBy(() -> call(forwarder, "GET", "https://localhost:" + port + "/", 5_000))
                    .isInstanceOf(ExecutionException.class);
        } finally {
            trusting.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
