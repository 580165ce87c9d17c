package dev.portcullis.server.gateway;

import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.server.http.HttpListener;
import dev.portcullis.server.http.HttpService;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.server.http.OutboundResponse;
import dev.portcullis.server.http.Refusal;
import dev.portcullis.server.metrics.ServerMetrics;
import dev.portcullis.server.pipeline.AccessControl;
import dev.portcullis.server.pipeline.JsonApiEndpoint;
import dev.portcullis.server.pipeline.Authenticator;
import dev.portcullis.state.IamState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway of a node: its endpoint, the upstream client and the async delivery worker, served on
 * its own listener ({@link #listen}) or on the API listener ({@link #sharing}).
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /**
     * The gateway listener's body limit for requests that match no route: API Gateway's 10 MB payload
     * limit. A matched route's {@code maxBodyBytes} (default the same 10 MB) decides for its requests,
     * on this listener and on a shared one.
     */
    public static final long MAX_BODY_BYTES = GatewayEndpoint.DEFAULT_MAX_BODY_BYTES;

    private final Vertx vertx;
    private final GatewayEndpoint endpoint;
    private final Forwarder forwarder;
    private final Delivery delivery;
    private final JsonApiEndpoint admin;
    private final SharedReplays shared;
    private HttpListener listener;

    private Gateway(Vertx vertx, GatewayEndpoint endpoint, Forwarder forwarder, Delivery delivery, JsonApiEndpoint admin,
                    SharedReplays shared) {
        this.vertx = vertx;
        this.shared = shared;
        this.admin = admin;
        this.endpoint = endpoint;
        this.forwarder = forwarder;
        this.delivery = delivery;
    }

    /**
     * Builds the gateway of a node and starts its delivery worker, which retries failed async
     * deliveries after {@code retryBackoff}, doubling per attempt.
     */
    public static Gateway start(Vertx vertx, IamState state, Authenticator authenticator, AccessControl access,
                                AuditRecorder audit, ServerMetrics metrics, String region, Duration retryBackoff) {
        Forwarder forwarder = new Forwarder(vertx);
        Delivery delivery = new Delivery(vertx, state.jobs(), state::view, forwarder, Delivery.Settings.withBackoff(retryBackoff));
        SharedReplays shared = state.store().sharedSignatures().map(l -> new SharedReplays(vertx, l)).orElse(null);
        GatewayEndpoint endpoint = new GatewayEndpoint(authenticator, access, state::view, audit, metrics, region,
                forwarder, delivery, shared);
        delivery.start();
        if (shared != null) {
            shared.start();
        }
        JsonApiEndpoint admin = GatewayAdmin.endpoint(vertx, state, authenticator, access, audit, metrics, region,
                delivery::wake);
        return new Gateway(vertx, endpoint, forwarder, delivery, admin, shared);
    }

    /** The gateway's service, for a listener of its own. */
    public HttpService service() {
        return endpoint;
    }

    /**
     * A service for one shared listener: requests naming an existing API and stage go to the gateway,
     * gateway admin calls ({@code X-Amz-Target: PortcullisGateway.…}) to the admin API, everything
     * else to {@code api}.
     */
    public HttpService sharing(HttpService api) {
        return onApiListener(api, true);
    }

    /**
     * The API listener's service: the admin API beside {@code api}, and the gateway's invocations too
     * when {@code invocations} (the gateway shares the API port).
     */
    public HttpService onApiListener(HttpService api, boolean invocations) {
        return new HttpService() {
            @Override
            public Future<OutboundResponse> handle(InboundRequest request) {
                if (admin.claims(request)) {
                    return admin.handle(request);
                }
                return invocations && endpoint.claims(request) ? endpoint.handle(request) : api.handle(request);
            }

            @Override
            public OutboundResponse refuse(InboundRequest request, Refusal refusal) {
                if (admin.claims(request)) {
                    return JsonApiEndpoint.refusal(refusal);
                }
                return invocations && endpoint.claims(request) ? endpoint.refuse(request, refusal)
                        : api.refuse(request, refusal);
            }

            /** Gateway routes keep their own limit (10 MB by default) on the shared port; the APIs keep theirs. */
            @Override
            public long maxBodyBytes(InboundRequest head, long listenerLimit) {
                if (admin.claims(head)) {
                    return listenerLimit;
                }
                long route = invocations ? endpoint.bodyLimit(head) : -1;
                return route >= 0 ? route : api.maxBodyBytes(head, listenerLimit);
            }
        };
    }

    /** Serves the gateway on its own listener; completes with the bound port. */
    public Future<Integer> listen(String host, int port, Duration requestTimeout, Duration shutdownGrace, Path tlsCert,
                                  Path tlsKey) {
        listener = new HttpListener(vertx, new HttpListener.Settings(host, port, MAX_BODY_BYTES, requestTimeout,
                shutdownGrace, tlsCert, tlsKey), endpoint);
        return listener.start();
    }

    /** The own listener's port, or -1 when the gateway shares the API listener. */
    public int port() {
        return listener == null ? -1 : listener.port();
    }

    /** Stops the delivery worker (leased jobs return to the queue when their lease expires) and the listener. */
    @Override
    public void close() {
        delivery.close();
        if (shared != null) {
            shared.close();
        }
        try {
            if (listener != null) {
                listener.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            forwarder.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("gateway did not close cleanly: {}", e.toString());
        }
    }
}
