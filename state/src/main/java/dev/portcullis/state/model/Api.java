package dev.portcullis.state.model;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A gateway API (placeholder: the gateway issue defines its fields). {@code attributes} holds the
 * fields the gateway adds until they get their own components.
 */
public record Api(String apiId, String accountId, String name, Optional<String> resourcePolicy,
                  Map<String, String> attributes, Map<String, Stage> stages, Map<String, Route> routes,
                  Instant createdAt) {
    public Api {
        attributes = Map.copyOf(attributes);
        stages = Map.copyOf(stages);
        routes = Map.copyOf(routes);
    }
}
