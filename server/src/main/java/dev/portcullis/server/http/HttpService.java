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
}
