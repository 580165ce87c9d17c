package dev.portcullis.state.view;

import dev.portcullis.state.IamException;

/**
 * The one seam between the model and the policy engine: turns a document into the engine's
 * compiled, immutable, thread-safe form, or rejects it with {@code MalformedPolicyDocument} (or
 * {@code LimitExceeded} for the size quota) in the engine's wording.
 */
@FunctionalInterface
public interface PolicyCompiler {
    Object compile(String document, PolicyUse use) throws IamException;

    /** The compiler the state module uses by default. */
    static PolicyCompiler standard() {
        return JsonShapeCompiler.INSTANCE;
    }
}
