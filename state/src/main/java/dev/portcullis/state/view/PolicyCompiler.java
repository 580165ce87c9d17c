package dev.portcullis.state.view;

import dev.portcullis.core.policy.Policy;
import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.state.IamException;

/**
 * The one seam between the model and the policy engine: turns a document into the engine's
 * compiled, immutable, thread-safe {@link Policy}, or rejects it with the engine's code ({@code
 * MalformedPolicyDocument}, or {@code LimitExceeded} for the size quota) and message.
 */
@FunctionalInterface
public interface PolicyCompiler {
    Policy compile(String document, PolicyKind kind) throws IamException;

    /** The policy engine ({@code Policies.parse}). */
    static PolicyCompiler standard() {
        return EnginePolicyCompiler.INSTANCE;
    }
}
