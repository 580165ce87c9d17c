package dev.portcullis.server.pipeline;

import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.server.query.QueryParameters;
import dev.portcullis.state.view.IamView;

/**
 * What a handler gets: the authenticated caller, the request's parameters, the model snapshot the
 * request was authorized against, and the raw request (ids, source IP, headers).
 */
public record RequestScope(Caller caller, QueryParameters params, IamView view, InboundRequest request) {

    public String requestId() {
        return request.requestId();
    }
}
