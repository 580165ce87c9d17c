package dev.portcullis.state.view;

import java.util.List;
import java.util.Optional;

/**
 * Everything the evaluator needs about a user's or role's own policies: the identity policies
 * (inline, attached managed — default versions — and, for users, their groups' inline and attached
 * policies) and the permissions boundary.
 */
public record PrincipalPolicies(String principalArn, List<CompiledPolicy> identityPolicies,
                                Optional<CompiledPolicy> permissionsBoundary) {
    public PrincipalPolicies {
        identityPolicies = List.copyOf(identityPolicies);
    }
}
