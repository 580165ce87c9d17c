package dev.portcullis.state.model;

import java.util.Map;

/** A stage of a gateway API ({@code prod}, {@code test}) with its variables (placeholder). */
public record Stage(String stageName, Map<String, String> variables) {
    public Stage {
        variables = Map.copyOf(variables);
    }
}
