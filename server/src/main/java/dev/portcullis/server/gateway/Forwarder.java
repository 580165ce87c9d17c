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

    /** Where an upstream base ({@code scheme://host[:port]}) points; routes have few, requests repeat them. */
    private record Base(String host, int port, boolean ssl) {
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Base> bases = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Request options for an absolute {@code url}: what {@link RequestOptions#setAbsoluteURI(String)} sets
     * (host, port with 80/443 by default, TLS for https, the path and query, {@code /} when empty), without
     * parsing a {@code java.net.URL} per request for plain {@code http(s)://host[:port]/…} URLs; anything
     * else (user info, IPv6 literals, fragments) still goes through {@code setAbsoluteURI}.
     */
    static RequestOptions options(String url, java.util.Map<String, Base> cache) {
        boolean ssl = url.startsWith("https://");
        int authority = ssl ? 8 : url.startsWith("http://") ? 7 : -1;
        int end = authority < 0 ? -1 : indexOfAny(url, authority);
        if (end <= authority || url.indexOf('#') >= 0) {
            return new RequestOptions().setAbsoluteURI(url);
        }
        String prefix = url.substring(0, end);
        Base base = cache.get(prefix);
        if (base == null) {
            String hostPort = url.substring(authority, end);
            if (hostPort.indexOf('@') >= 0 || hostPort.indexOf('[') >= 0) {
                return new RequestOptions().setAbsoluteURI(url);
            }
            int colon = hostPort.indexOf(':');
            int port;
            try {
                port = colon < 0 ? (ssl ? 443 : 80) : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                return new RequestOptions().setAbsoluteURI(url);
            }
            if (port < 0 || port > 65_535 || colon == 0) {
                return new RequestOptions().setAbsoluteURI(url);
            }
            base = new Base(colon < 0 ? hostPort : hostPort.substring(0, colon), port, ssl);
            if (cache.size() >= 10_000) {
                cache.clear();
            }
            cache.put(prefix, base);
        }
        String rest = url.substring(end);
        String uri = rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest;
        return new RequestOptions().setHost(base.host()).setPort(base.port()).setSsl(base.ssl()).setURI(uri);
    }

    private RequestOptions target(String url) {
        return options(url, bases);
    }

    private static int indexOfAny(String url, int from) {
        for (int i = from; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?') {
                return i;
            }
        }
        return url.length();
    }

    /** Sends {@code out}; fails with {@link TimeoutException} when no full answer came within {@code timeoutMillis}. */
    Future<Answer> send(Outgoing out, long timeoutMillis) {
        Promise<Answer> result = Promise.promise();
        RequestOptions options;
        try {
            options = target(out.url())
                    .setMethod(HttpMethod.valueOf(out.method()))
                    .setConnectTimeout(Math.min(timeoutMillis, 10_000));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> h : out.headers()) {
            headers.add(h.getKey(), h.getValue());
        }
        options.setHeaders(headers);
        // Callbacks rather than composed futures: each composition adds a promise and a dispatch per request.
        io.vertx.core.http.HttpClientRequest[] sent = new io.vertx.core.http.HttpClientRequest[1];
        long timer = vertx.setTimer(Math.max(1, timeoutMillis), id -> {
            if (result.tryFail(new TimeoutException("upstream did not answer within " + timeoutMillis + " ms"))
                    && sent[0] != null) {
                sent[0].reset();
            }
        });
        client().request(options).onComplete(requested -> {
            if (requested.failed()) {
                vertx.cancelTimer(timer);
                result.tryFail(requested.cause());
                return;
            }
            io.vertx.core.http.HttpClientRequest req = requested.result();
            if (result.future().isComplete()) {
                req.reset();  // timed out while connecting
                return;
            }
            sent[0] = req;
            req.send(Buffer.buffer(out.body())).onComplete(answered -> {
                if (answered.failed()) {
                    vertx.cancelTimer(timer);
                    result.tryFail(answered.cause());
                    return;
                }
                io.vertx.core.http.HttpClientResponse resp = answered.result();
                Buffer body = Buffer.buffer();
                resp.handler(chunk -> {
                    if (body.length() + chunk.length() > maxResponseBytes) {
                        vertx.cancelTimer(timer);
                        if (result.tryFail(new ResponseTooLarge(maxResponseBytes))) {
                            req.reset();
                        }
                    } else {
                        body.appendBuffer(chunk);
                    }
                });
                resp.exceptionHandler(e -> {
                    vertx.cancelTimer(timer);
                    result.tryFail(e);
                });
                resp.endHandler(v -> {
                    vertx.cancelTimer(timer);
                    result.tryComplete(new Answer(resp.statusCode(), resp.headers(), body.getBytes()));
                });
            });
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
