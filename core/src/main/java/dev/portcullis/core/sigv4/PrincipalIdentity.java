package dev.portcullis.core.sigv4;

import java.util.Objects;

/**
 * Who owns an access key, as the credential store reports it.
 *
 * @param arn       the principal's ARN, e.g. {@code arn:aws:iam::123456789012:user/alice} or an
 *                  assumed-role session ARN
 * @param accountId the 12-digit account id
 * @param userId    the unique principal id ({@code AIDA…}, or {@code AROA…:session} for role sessions)
 */
public record PrincipalIdentity(String arn, String accountId, String userId) {
    public PrincipalIdentity {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(userId, "userId");
    }
}
