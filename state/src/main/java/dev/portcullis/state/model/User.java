package dev.portcullis.state.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An IAM user. {@code attachedPolicies} holds managed policy ARNs in attachment order; {@code
 * groups} holds group names; {@code inlinePolicies} is keyed by policy name.
 */
public record User(String accountId, String userName, String path, String userId, Instant createdAt,
                   List<Tag> tags, Optional<String> permissionsBoundary, List<String> groups,
                   List<String> attachedPolicies, Map<String, InlinePolicy> inlinePolicies) {
    public User {
        tags = List.copyOf(tags);
        groups = List.copyOf(groups);
        attachedPolicies = List.copyOf(attachedPolicies);
        inlinePolicies = Map.copyOf(inlinePolicies);
    }

    /** {@code arn:aws:iam::ACCOUNT:user/path/name}. */
    public String arn() {
        return Names.arn(accountId, "user", path, userName);
    }
}
