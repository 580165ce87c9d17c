package dev.portcullis.state.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An IAM group. Membership is recorded on the {@link User} ({@code groups}). */
public record Group(String accountId, String groupName, String path, String groupId, Instant createdAt,
                    List<String> attachedPolicies, Map<String, InlinePolicy> inlinePolicies) {
    public Group {
        attachedPolicies = List.copyOf(attachedPolicies);
        inlinePolicies = Map.copyOf(inlinePolicies);
    }

    public String arn() {
        return Names.arn(accountId, "group", path, groupName);
    }
}
