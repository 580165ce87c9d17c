package dev.portcullis.core.policy;

import java.util.Objects;

/**
 * A compiled policy with the name the caller knows it by, so that explanations can say which
 * policy decided.
 *
 * @param id the managed policy's ARN, or the inline policy's name (e.g. {@code role/deployer/inline/s3-read}),
 *           or anything the caller finds meaningful ({@code trust-policy}, {@code api-resource-policy})
 */
public record PolicyRef(String id, Policy policy) {
    public PolicyRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(policy, "policy");
    }
}
