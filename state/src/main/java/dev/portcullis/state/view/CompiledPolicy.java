package dev.portcullis.state.view;

import dev.portcullis.core.policy.Policy;
import dev.portcullis.core.policy.PolicyKind;

/**
 * A policy as the request path needs it: where it comes from ({@code source} is the managed
 * policy's ARN, or the owner's ARN for an inline, trust or resource policy; {@code name} the inline
 * policy's name, the managed policy's default version id, {@code trust} or {@code resource-policy})
 * and the engine's compiled {@link Policy}.
 */
public record CompiledPolicy(String source, String name, Policy policy) {

    public PolicyKind kind() {
        return policy.kind();
    }

    public String document() {
        return policy.document();
    }
}
