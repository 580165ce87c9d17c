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
 * Sends requests to upstreams over one pooled keep-alive Vert.x client, with a whole-exchange
 * deadline. Thread-safe (Vert.x client); callbacks run on the event loop.
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

    private final Vertx vertx;
    private final HttpClient client;
    private final long maxResponseBytes;

    Forwarder(Vertx vertx) {
        this(vertx, MAX_RESPONSE_BYTES);
    }

    Forwarder(Vertx vertx, long maxResponseBytes) {
        this.vertx = vertx;
        this.maxResponseBytes = maxResponseBytes;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setTryUseCompression(false)
                .setMaxInitialLineLength(64 * 1024)
                .setMaxHeaderSize(64 * 1024), new PoolOptions().setHttp1MaxSize(64));
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
        client.request(options)
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
        return client.close();
    }
}
