package dev.portcullis.core.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Every policy that applies to one request, by the role it plays in AWS's evaluation logic. The
 * caller (the server, the simulator) is responsible for gathering the right ones: the principal's
 * identity policies (attached, inline and through groups), its permissions boundary, the session's
 * policies, the target resource's policy (for {@code sts:AssumeRole} the role's trust policy), and
 * the organization's policies.
 *
 * @param identity           identity-based policies; at least one must allow (unless a resource policy grants alone)
 * @param permissionsBoundary the boundary, or null when the principal has none
 * @param session            session policies, empty when the session has none (then they do not restrict)
 * @param resource           resource-based policies of the target (bucket policy, API policy, trust policy)
 * @param serviceControl     SCPs by organization level (root, OU…, account): at every level some SCP must allow;
 *                           empty when the account is in no organization
 * @param resourceControl    resource control policies by level, same rule; empty when none
 */
public record PolicySet(
        List<PolicyRef> identity, PolicyRef permissionsBoundary, List<PolicyRef> session, List<PolicyRef> resource,
        List<List<PolicyRef>> serviceControl, List<List<PolicyRef>> resourceControl) {

    public PolicySet {
        identity = identity == null ? List.of() : List.copyOf(identity);
        session = session == null ? List.of() : List.copyOf(session);
        resource = resource == null ? List.of() : List.copyOf(resource);
        serviceControl = copyLevels(serviceControl);
        resourceControl = copyLevels(resourceControl);
    }

    private static List<List<PolicyRef>> copyLevels(List<List<PolicyRef>> levels) {
        if (levels == null) {
            return List.of();
        }
        List<List<PolicyRef>> out = new ArrayList<>(levels.size());
        for (List<PolicyRef> level : levels) {
            out.add(List.copyOf(level));
        }
        return List.copyOf(out);
    }

    /** Only identity-based policies. */
    public static PolicySet ofIdentity(List<PolicyRef> identity) {
        return new PolicySet(identity, null, List.of(), List.of(), List.of(), List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects a policy set piece by piece. */
    public static final class Builder {
        private final List<PolicyRef> identity = new ArrayList<>();
        private PolicyRef boundary;
        private final List<PolicyRef> session = new ArrayList<>();
        private final List<PolicyRef> resource = new ArrayList<>();
        private final List<List<PolicyRef>> scps = new ArrayList<>();
        private final List<List<PolicyRef>> rcps = new ArrayList<>();

        public Builder identity(PolicyRef ref) {
            identity.add(ref);
            return this;
        }

        public Builder identity(List<PolicyRef> refs) {
            identity.addAll(refs);
            return this;
        }

        public Builder permissionsBoundary(PolicyRef ref) {
            boundary = ref;
            return this;
        }

        public Builder session(PolicyRef ref) {
            session.add(ref);
            return this;
        }

        public Builder resource(PolicyRef ref) {
            resource.add(ref);
            return this;
        }

        /** Adds one organization level of SCPs (root, an OU, or the account). */
        public Builder serviceControlLevel(List<PolicyRef> level) {
            scps.add(level);
            return this;
        }

        /** Adds one organization level of resource control policies. */
        public Builder resourceControlLevel(List<PolicyRef> level) {
            rcps.add(level);
            return this;
        }

        public PolicySet build() {
            return new PolicySet(identity, boundary, session, resource, scps, rcps);
        }
    }
}
