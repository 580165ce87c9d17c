package dev.portcullis.server.http;

import io.vertx.core.Future;

/**
 * What a listener serves. Implementations must not block the calling event-loop thread: CPU-only
 * work (authentication, authorization against the in-memory model) may run inline, anything that
 * touches a store goes to a worker.
 */
public interface HttpService {

    /** Handles a fully-read request. A failed future is answered as {@link Refusal#INTERNAL_ERROR}. */
    Future<OutboundResponse> handle(InboundRequest request);

    /**
     * The protocol-shaped answer for a request the listener refuses itself. {@code request} carries
     * the ids and headers; its body is empty.
     */
    OutboundResponse refuse(InboundRequest request, Refusal refusal);

    /**
     * The largest body this service takes for {@code head} (the request line and headers; the body is
     * not read yet), given the listener's limit. One listener can then serve APIs with different limits
     * (the IAM APIs' 1 MiB and a gateway route's 10 MB); a body over it is refused with
     * {@link Refusal#BODY_TOO_LARGE} in this service's shape. Runs on the event loop: memory only.
     */
    default long maxBodyBytes(InboundRequest head, long listenerLimit) {
        return listenerLimit;
    }
}
