package dev.portcullis.state.view;

import dev.portcullis.core.policy.Policies;
import dev.portcullis.core.policy.Policy;
import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.core.policy.PolicyValidationError;
import dev.portcullis.core.policy.PolicyValidationException;
import dev.portcullis.state.IamException;

/** {@link PolicyCompiler} backed by the policy engine; its first error becomes the IAM error. */
final class EnginePolicyCompiler implements PolicyCompiler {
    static final EnginePolicyCompiler INSTANCE = new EnginePolicyCompiler();

    @Override
    public Policy compile(String document, PolicyKind kind) throws IamException {
        if (document == null) {
            throw IamException.malformedPolicy("Syntax errors in policy.");
        }
        try {
            return Policies.parse(document, kind);
        } catch (PolicyValidationException e) {
            int status = PolicyValidationError.LIMIT_EXCEEDED.equals(e.code()) ? 409 : 400;
            return fail(new IamException(e.code(), e.getMessage(), status));
        }
    }

    private static Policy fail(IamException e) throws IamException {
        throw e;
    }
}
