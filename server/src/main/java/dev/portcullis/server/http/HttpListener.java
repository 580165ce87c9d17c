package dev.portcullis.server.http;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>Threading: the listener runs {@code instances} Vert.x server instances (one verticle instance each,
 * so each on its own event loop) sharing one listening socket; Vert.x hands each new connection to the
 * next instance, and a connection's requests run on its instance's event loop. The service is therefore
 * called from several event loops at once and must be thread-safe. The in-flight counter and the
 * draining flag are the listener's only shared state and are atomic.
 */
public final class HttpListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);

    /** Longest request line and total header size; presigned URLs with session tokens are long. */
    public static final int MAX_REQUEST_LINE = 64 * 1024;
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    /** Ids for "any free port" listeners: Vert.x shares a negative port's socket among the servers that name it. */
    private static final AtomicInteger RANDOM_PORT_IDS = new AtomicInteger();

    /**
     * Settings of one listener.
     *
     * @param instances server instances (event loops) serving the port; at least 1
     */
    public record Settings(String host, int port, long maxBodyBytes, Duration requestTimeout, Duration shutdownGrace,
                           Path tlsCert, Path tlsKey, int instances) {

        public Settings {
            if (instances < 1) {
                throw new IllegalArgumentException("instances must be at least 1");
            }
        }

        /** One instance per available processor. */
        public Settings(String host, int port, long maxBodyBytes, Duration requestTimeout, Duration shutdownGrace,
                        Path tlsCert, Path tlsKey) {
            this(host, port, maxBodyBytes, requestTimeout, shutdownGrace, tlsCert, tlsKey, defaultInstances());
        }

        /** One server instance per available processor. */
        public static int defaultInstances() {
            return Math.max(1, Runtime.getRuntime().availableProcessors());
        }
    }

    private final Vertx vertx;
    private final Settings settings;
    private final HttpService service;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile String deployment;

    public HttpListener(Vertx vertx, Settings settings, HttpService service) {
        this.vertx = vertx;
        this.settings = settings;
        this.service = service;
    }

    /** Binds the listener (all its instances); completes with the bound port. */
    public Future<Integer> start() {
        // Port 0 ("any free port") becomes a negative port unique to this listener: Vert.x binds a random port
        // for it and lets the other instances naming the same negative port share that socket.
        int port = settings.port() == 0 ? -RANDOM_PORT_IDS.incrementAndGet() : settings.port();
        HttpServerOptions options = options(port);
        return vertx.deployVerticle(() -> new Instance(options), new DeploymentOptions().setInstances(settings.instances()))
                .map(id -> {
                    deployment = id;
                    return port();
                });
    }

    /** One server instance; deployed {@code instances} times, each on its own event loop. */
    private final class Instance extends AbstractVerticle {
        private final HttpServerOptions options;

        Instance(HttpServerOptions options) {
            this.options = options;
        }

        @Override
        public void start(Promise<Void> started) {
            HttpServer server = vertx.createHttpServer(options).requestHandler(HttpListener.this::accept)
                    .invalidRequestHandler(HttpListener.this::reject);
            server.listen().onSuccess(s -> {
                servers.add(s);
                started.complete();
            }).onFailure(started::fail);
        }
    }

    private HttpServerOptions options(int port) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host())
                .setPort(port)
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setDecompressionSupported(false)
                .setCompressionSupported(false)
                .setHttp2ClearTextEnabled(false)
                // No WebSocket extensions: keeps their handler out of every connection's pipeline.
                .setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false);
        if (settings.tlsCert() != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(settings.tlsCert().toString())
                    .setKeyPath(settings.tlsKey().toString()));
        }
        return options;
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        return servers.get(0).actualPort();
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
        // Undeploying the instances closes their servers (and the shared socket with the last one).
        return drained.future().compose(v -> deployment == null ? Future.succeededFuture()
                : vertx.undeploy(deployment).recover(e -> Future.succeededFuture()));
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
        String requestId = RequestIds.uuid();
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
        String requestId = RequestIds.uuid();
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

        @Override
        public void forEach(java.util.function.BiConsumer<String, String> action) {
            map.forEach(action);
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
