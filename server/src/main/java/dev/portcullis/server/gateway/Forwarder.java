package dev.portcullis.server.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Sends requests to upstreams over pooled keep-alive Vert.x clients, with a whole-exchange deadline.
 * Each event loop that forwards gets a client (and connection pool) of its own, so that an upstream
 * connection is always served by the event loop of the gateway request using it (no hand-over between
 * threads); other threads share one more client. Thread-safe; callbacks run on the caller's context.
 */
final class Forwarder {

    /** A request to an upstream. */
    record Outgoing(String method, String url, List<Map.Entry<String, String>> headers, byte[] body) {
    }

    /** An upstream's answer. */
    record Answer(int status, MultiMap headers, byte[] body) {
    }

    /** API Gateway's limit on an integration's response: 10 MB. */
    static final long MAX_RESPONSE_BYTES = 10L * 1024 * 1024;

    /** An upstream answer over the size limit (a 502, never buffered beyond the limit). */
    static final class ResponseTooLarge extends java.io.IOException {
        ResponseTooLarge(long limit) {
            super("upstream response larger than " + limit + " bytes", null);
        }
    }

    /** Upstream connections per client (per event loop). */
    static final int POOL_SIZE = 64;

    private final Vertx vertx;
    private final HttpClient shared;
    private final java.util.concurrent.ConcurrentHashMap<Thread, HttpClient> perEventLoop =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final long maxResponseBytes;

    Forwarder(Vertx vertx) {
        this(vertx, MAX_RESPONSE_BYTES);
    }

    Forwarder(Vertx vertx, long maxResponseBytes) {
        this.vertx = vertx;
        this.maxResponseBytes = maxResponseBytes;
        this.shared = newClient();
    }

    private HttpClient newClient() {
        return vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setTryUseCompression(false)
                .setMaxInitialLineLength(64 * 1024)
                .setMaxHeaderSize(64 * 1024), new PoolOptions().setHttp1MaxSize(POOL_SIZE));
    }

    /** The calling event loop's client (its connections are created on, and stay with, that event loop). */
    private HttpClient client() {
        if (!io.vertx.core.Context.isOnEventLoopThread()) {
            return shared;
        }
        Thread loop = Thread.currentThread();
        HttpClient c = perEventLoop.get(loop);
        return c != null ? c : perEventLoop.computeIfAbsent(loop, t -> newClient());
    }

    /** Sends {@code out}; fails with {@link TimeoutException} when no full answer came within {@code timeoutMillis}. */
    Future<Answer> send(Outgoing out, long timeoutMillis) {
        Promise<Answer> result = Promise.promise();
        RequestOptions options;
        try {
            options = new RequestOptions()
                    .setMethod(HttpMethod.valueOf(out.method()))
                    .setAbsoluteURI(out.url())
                    .setConnectTimeout(Math.min(timeoutMillis, 10_000));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> h : out.headers()) {
            headers.add(h.getKey(), h.getValue());
        }
        options.setHeaders(headers);
        long timer = vertx.setTimer(Math.max(1, timeoutMillis),
                id -> result.tryFail(new TimeoutException("upstream did not answer within " + timeoutMillis + " ms")));
        client().request(options)
                .compose(req -> {
                    result.future().onFailure(f -> req.reset());
                    return req.send(Buffer.buffer(out.body()));
                })
                .compose(resp -> {
                    Promise<Answer> whole = Promise.promise();
                    Buffer body = Buffer.buffer();
                    resp.handler(chunk -> {
                        if (body.length() + chunk.length() > maxResponseBytes) {
                            if (whole.tryFail(new ResponseTooLarge(maxResponseBytes))) {
                                resp.request().reset();
                            }
                        } else {
                            body.appendBuffer(chunk);
                        }
                    });
                    resp.exceptionHandler(whole::tryFail);
                    resp.endHandler(v -> whole.tryComplete(new Answer(resp.statusCode(), resp.headers(), body.getBytes())));
                    return whole.future();
                })
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                        result.tryComplete(ar.result());
                    } else {
                        result.tryFail(ar.cause());
                    }
                });
        return result.future();
    }

    Future<Void> close() {
        List<Future<Void>> closing = new java.util.ArrayList<>();
        closing.add(shared.close());
        perEventLoop.values().forEach(c -> closing.add(c.close()));
        return Future.all(closing).mapEmpty();
    }
}
