package dev.portcullis.state.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An IAM role. {@code sessionsRevokedBefore} is the revocation watermark: sessions issued before it
 * are denied (AWS's "revoke active sessions", expressed with {@code aws:TokenIssueTime}).
 */
public record Role(String accountId, String roleName, String path, String roleId, Instant createdAt,
                   String assumeRolePolicyDocument, int maxSessionDurationSeconds, String description,
                   List<Tag> tags, Optional<String> permissionsBoundary, List<String> attachedPolicies,
                   Map<String, InlinePolicy> inlinePolicies, Optional<RoleLastUsed> lastUsed,
                   Optional<Instant> sessionsRevokedBefore) {
    public Role {
        tags = List.copyOf(tags);
        attachedPolicies = List.copyOf(attachedPolicies);
        inlinePolicies = Map.copyOf(inlinePolicies);
        description = description == null ? "" : description;
    }

    public String arn() {
        return Names.arn(accountId, "role", path, roleName);
    }
}
