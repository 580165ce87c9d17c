package dev.portcullis.server.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP(S) listener. Reads each request's body within {@code maxBodyBytes} (or the limit the service
 * sets for the request, {@link HttpService#maxBodyBytes}), gives it a request id and
 * a correlation id, passes it to the {@link HttpService}, and writes the answer with
 * {@code x-amzn-RequestId}. A request not answered within {@code requestTimeout} is refused; on
 * {@link #close()} new requests are refused while in-flight ones finish, for up to {@code shutdownGrace}.
 *
 * <p>Threading: request callbacks run on the Vert.x event loop that owns the connection; the in-flight
 * counter and the draining flag are the only shared state and are atomic.
 */
public final class HttpListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);

    /** Longest request line and total header size; presigned URLs with session tokens are long. */
    public static final int MAX_REQUEST_LINE = 64 * 1024;
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    /** Settings of one listener. */
    public record Settings(String host, int port, long maxBodyBytes, Duration requestTimeout, Duration shutdownGrace,
                           Path tlsCert, Path tlsKey) {
    }

    private final Vertx vertx;
    private final Settings settings;
    private final HttpService service;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private HttpServer server;

    public HttpListener(Vertx vertx, Settings settings, HttpService service) {
        this.vertx = vertx;
        this.settings = settings;
        this.service = service;
    }

    /** Binds the listener; completes with the bound port. */
    public Future<Integer> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setDecompressionSupported(false)
                .setCompressionSupported(false)
                .setHttp2ClearTextEnabled(false);
        if (settings.tlsCert() != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(settings.tlsCert().toString())
                    .setKeyPath(settings.tlsKey().toString()));
        }
        server = vertx.createHttpServer(options).requestHandler(this::accept).invalidRequestHandler(this::reject);
        return server.listen().map(HttpServer::actualPort);
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        return server.actualPort();
    }

    /** Requests being handled right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Stops taking new requests, waits for in-flight ones up to the shutdown grace, then closes the
     * socket. Completes when closed.
     */
    public Future<Void> close() {
        draining.set(true);
        Promise<Void> drained = Promise.promise();
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        awaitDrain(drained, deadline);
        return drained.future().compose(v -> server == null ? Future.succeededFuture() : server.close());
    }

    private void awaitDrain(Promise<Void> drained, long deadline) {
        if (inFlight.get() == 0 || System.nanoTime() >= deadline) {
            if (inFlight.get() > 0) {
                LOG.warn("shutdown grace elapsed with {} request(s) still in flight", inFlight.get());
            }
            drained.complete();
            return;
        }
        vertx.setTimer(20, id -> awaitDrain(drained, deadline));
    }

    private void accept(HttpServerRequest req) {
        long startNanos = System.nanoTime();
        Instant receivedAt = Instant.now();
        String requestId = UUID.randomUUID().toString();
        MultiMap headers = req.headers();
        String correlationId = correlationId(headers, requestId);
        String source = req.remoteAddress() == null ? "0.0.0.0" : req.remoteAddress().hostAddress();
        String path = req.path() == null ? "/" : req.path();
        InboundRequest head = new InboundRequest(requestId, correlationId, req.method().name(), path, req.query(),
                headers.get("host"), new Headers(headers), new byte[0], source, req.isSSL(), receivedAt, startNanos);

        if (draining.get()) {
            write(req, head, service.refuse(head, Refusal.SHUTTING_DOWN), true);
            return;
        }
        long limit = service.maxBodyBytes(head, settings.maxBodyBytes());
        long declared = contentLength(headers.get("content-length"));
        if (declared > limit) {
            write(req, head, service.refuse(head, Refusal.BODY_TOO_LARGE), true);
            return;
        }
        inFlight.incrementAndGet();
        AtomicBoolean answered = new AtomicBoolean();
        Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 256);
        req.handler(chunk -> {
            if (answered.get()) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                finish(req, head, service.refuse(head, Refusal.BODY_TOO_LARGE), answered, true);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(e -> {
            // The client went away or sent a broken stream: nothing to answer.
            if (answered.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        });
        req.endHandler(v -> {
            if (answered.get()) {
                return;
            }
            InboundRequest full = new InboundRequest(requestId, correlationId, head.method(), path, head.rawQuery(),
                    head.host(), head.headers(), body.getBytes(), source, head.secure(), receivedAt, startNanos);
            long timer = vertx.setTimer(settings.requestTimeout().toMillis(),
                    id -> finish(req, full, service.refuse(full, Refusal.TIMEOUT), answered, false));
            Future<OutboundResponse> answer;
            try {
                answer = service.handle(full);
            } catch (RuntimeException | LinkageError e) {
                // A bug (or a broken deployment) must answer 500, never leave the client hanging.
                answer = Future.failedFuture(e);
            }
            answer.onComplete(ar -> {
                vertx.cancelTimer(timer);
                if (ar.succeeded()) {
                    finish(req, full, ar.result(), answered, false);
                } else {
                    LOG.error("request {} failed unexpectedly", requestId, ar.cause());
                    finish(req, full, service.refuse(full, Refusal.INTERNAL_ERROR), answered, false);
                }
            });
        });
    }

    /**
     * A request Netty could not decode (request line or headers over the limits, bad syntax): answered
     * in the service's error shape instead of Vert.x's bare status, then the connection is closed.
     */
    private void reject(HttpServerRequest req) {
        String requestId = UUID.randomUUID().toString();
        InboundRequest head = new InboundRequest(requestId, requestId, req.method() == null ? "GET" : req.method().name(),
                "/", null, null, name -> java.util.List.of(), new byte[0],
                req.remoteAddress() == null ? "0.0.0.0" : req.remoteAddress().hostAddress(), req.isSSL(), Instant.now(),
                System.nanoTime());
        write(req, head, service.refuse(head, Refusal.MALFORMED_REQUEST), true);
    }

    private void finish(HttpServerRequest req, InboundRequest request, OutboundResponse response, AtomicBoolean answered,
                        boolean closeConnection) {
        if (answered.compareAndSet(false, true)) {
            inFlight.decrementAndGet();
            write(req, request, response, closeConnection);
        }
    }

    private static void write(HttpServerRequest req, InboundRequest request, OutboundResponse response, boolean close) {
        HttpServerResponse out = req.response();
        if (out.ended() || out.closed()) {
            return;
        }
        out.setStatusCode(response.status());
        out.putHeader("x-amzn-RequestId", request.requestId());
        if (response.contentType() != null) {
            out.putHeader("Content-Type", response.contentType());
        }
        for (Map.Entry<String, String> h : response.headers()) {
            out.headers().add(h.getKey(), h.getValue());  // add, not put: a name may repeat (Set-Cookie)
        }
        if (close) {
            out.putHeader("Connection", "close");
        }
        out.end(Buffer.buffer(response.body())).onComplete(ar -> {
            if (close) {
                req.connection().close();
            }
        });
    }

    private static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The request's headers as {@link InboundRequest} reads them, able to list their names. */
    private record Headers(MultiMap map) implements java.util.function.Function<String, java.util.List<String>>,
            InboundRequest.HeaderNames {
        @Override
        public java.util.List<String> apply(String name) {
            return map.getAll(name);
        }

        @Override
        public java.util.List<String> names() {
            return java.util.List.copyOf(map.names());
        }
    }

    /** {@code X-Correlation-Id} when well-formed, else the trace id of a W3C {@code traceparent}, else the request id. */
    static String correlationId(MultiMap headers, String requestId) {
        String explicit = headers.get("x-correlation-id");
        if (explicit != null && CORRELATION_ID.matcher(explicit).matches()) {
            return explicit;
        }
        String traceparent = headers.get("traceparent");
        if (traceparent != null) {
            var m = TRACEPARENT.matcher(traceparent.trim());
            if (m.matches()) {
                return m.group(1);
            }
        }
        return requestId;
    }
}
