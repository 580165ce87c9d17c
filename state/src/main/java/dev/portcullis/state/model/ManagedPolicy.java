package dev.portcullis.state.model;

import java.time.Instant;
import java.util.List;

/**
 * A customer managed policy: up to five versions, one of them the default, and the number of
 * users, groups and roles it is attached to. {@code nextVersion} numbers the next version (AWS never
 * reuses a version id).
 */
public record ManagedPolicy(String accountId, String policyName, String path, String policyId, String description,
                            Instant createdAt, Instant updatedAt, List<PolicyVersion> versions,
                            String defaultVersionId, int nextVersion, int attachmentCount) {
    public ManagedPolicy {
        versions = List.copyOf(versions);
        description = description == null ? "" : description;
    }

    public String arn() {
        return Names.arn(accountId, "policy", path, policyName);
    }

    public PolicyVersion defaultVersion() {
        for (PolicyVersion v : versions) {
            if (v.versionId().equals(defaultVersionId)) {
                return v;
            }
        }
        throw new IllegalStateException("managed policy without its default version");
    }
}
