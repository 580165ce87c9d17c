package dev.portcullis.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

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
}
