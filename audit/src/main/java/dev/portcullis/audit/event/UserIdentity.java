package dev.portcullis.audit.event;

import java.time.Instant;

/**
 * Who made the request, as CloudTrail's {@code userIdentity} element: {@code type}
 * ({@code IAMUser}, {@code AssumedRole}, {@code Root}, {@code AWSService}, {@code Anonymous} …),
 * principal id, ARN, account, the access key id used (not secret), the session context for
 * temporary credentials and {@code invokedBy} for service principals. Any field may be null.
 */
public record UserIdentity(
        String type,
        String principalId,
        String arn,
        String accountId,
        String accessKeyId,
        SessionContext sessionContext,
        String invokedBy) {

    /** The session behind temporary credentials: who issued it and when it was created. */
    public record SessionContext(SessionIssuer sessionIssuer, Instant creationDate, Boolean mfaAuthenticated) {}

    /** The role (or user) the session was issued for. */
    public record SessionIssuer(String type, String principalId, String arn, String accountId, String userName) {}

    public static UserIdentity anonymous() {
        return new UserIdentity("Anonymous", null, null, null, null, null, null);
    }
}
