package dev.portcullis.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The second reference point for the load driver, not a product: {@link NettyProxyFloor}'s bare proxy
 * written with Vert.x's HTTP server and client, as the gateway uses them (one server instance and one
 * keep-alive client per event loop, bodies read whole). Target {@code vertx-floor}: its CPU per request
 * minus {@code netty-floor}'s is what Vert.x adds; the gateway's ({@code none-noaudit}) minus this one's is
 * what the gateway's own work adds.
 */
final class VertxProxyFloor implements AutoCloseable {

    private final Vertx vertx;
    private final AtomicInteger port = new AtomicInteger();

    private VertxProxyFloor(Vertx vertx) {
        this.vertx = vertx;
    }

    static VertxProxyFloor start(String upstreamHost, int upstreamPort) throws Exception {
        int loops = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(false));
        VertxProxyFloor floor = new VertxProxyFloor(vertx);
        vertx.deployVerticle(() -> floor.new Instance(upstreamHost, upstreamPort), new DeploymentOptions().setInstances(loops))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return floor;
    }

    int port() {
        return port.get();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** One server instance and its event loop's client. */
    private final class Instance extends AbstractVerticle {
        private final String host;
        private final int upstreamPort;
        private HttpClient client;

        Instance(String host, int upstreamPort) {
            this.host = host;
            this.upstreamPort = upstreamPort;
        }

        @Override
        public void start(Promise<Void> started) {
            client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(64));
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(-1000)
                    .setTcpNoDelay(true)).requestHandler(this::proxy);
            server.listen().onSuccess(s -> {
                port.set(s.actualPort());
                started.complete();
            }).onFailure(started::fail);
        }

        private void proxy(HttpServerRequest req) {
            req.body().onSuccess(body -> {
                RequestOptions o = new RequestOptions().setHost(host).setPort(upstreamPort)
                        .setMethod(HttpMethod.valueOf(req.method().name())).setURI(req.uri());
                req.headers().forEach(h -> {
                    if (!h.getKey().equalsIgnoreCase("host") && !h.getKey().equalsIgnoreCase("content-length")) {
                        o.addHeader(h.getKey(), h.getValue());
                    }
                });
                client.request(o).compose(up -> up.send(body)).compose(resp -> resp.body().map(b -> {
                    var out = req.response().setStatusCode(resp.statusCode());
                    resp.headers().forEach(h -> {
                        if (!h.getKey().equalsIgnoreCase("content-length")) {
                            out.headers().add(h.getKey(), h.getValue());
                        }
                    });
                    return out.end(b);
                })).onFailure(e -> req.response().setStatusCode(502).end());
            });
        }
    }
}
