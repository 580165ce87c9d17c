package dev.portcullis.core.policy;

/**
 * Where a policy document is attached, which decides its size quota and whether it must or must not
 * name a {@code Principal}.
 *
 * <p>Sizes are counted as IAM counts them: characters excluding white space.
 * See "IAM and AWS STS quotas" (IAM User Guide).
 */
public enum PolicyKind {
    /** A customer managed policy (6,144 characters). Also used for permissions boundaries. */
    MANAGED(6_144, "PolicySize"),
    /** An inline policy embedded in a user (2,048 characters for all of a user's inline policies). */
    INLINE_USER(2_048, "UserPolicySize"),
    /** An inline policy embedded in a role (10,240 characters). */
    INLINE_ROLE(10_240, "RolePolicySize"),
    /** An inline policy embedded in a group (5,120 characters). */
    INLINE_GROUP(5_120, "GroupPolicySize"),
    /** A role trust policy (2,048 characters by default); must name a principal, names no resource. */
    TRUST(2_048, "ACLSizePerRole"),
    /** A resource-based policy (bucket, API, queue; 20,480 characters like an S3 bucket policy); must name a principal. */
    RESOURCE(20_480, "ResourcePolicySize"),
    /** A session policy passed to AssumeRole (2,048 characters). */
    SESSION(2_048, "SessionPolicySize"),
    /** An organization service control policy (5,120 characters). */
    SERVICE_CONTROL(5_120, "ServiceControlPolicySize");

    private final int maxSize;
    private final String quotaName;

    PolicyKind(int maxSize, String quotaName) {
        this.maxSize = maxSize;
        this.quotaName = quotaName;
    }

    /** The largest document accepted, in non-white-space characters. */
    public int maxSize() {
        return maxSize;
    }

    /** The name IAM gives this quota in its {@code LimitExceeded} message. */
    public String quotaName() {
        return quotaName;
    }

    /** True when statements must carry {@code Principal} or {@code NotPrincipal}. */
    public boolean requiresPrincipal() {
        return this == TRUST || this == RESOURCE;
    }

    /** True when statements must carry {@code Resource} or {@code NotResource}. */
    public boolean requiresResource() {
        return this != TRUST;
    }
}
