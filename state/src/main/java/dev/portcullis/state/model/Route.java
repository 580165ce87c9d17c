package dev.portcullis.state.model;

import java.util.Map;

/**
 * A gateway route, {@code routeKey} being {@code METHOD /path/{param}} (placeholder: the gateway
 * issue defines the fields; {@code authorization} is {@code IAM}, {@code IAM_REPORT_ONLY} or
 * {@code NONE}; {@code invocation} {@code sync} or {@code async}).
 */
public record Route(String routeKey, String upstreamUrl, String authorization, String invocation,
                    Map<String, String> attributes) {
    public Route {
        attributes = Map.copyOf(attributes);
    }
}
