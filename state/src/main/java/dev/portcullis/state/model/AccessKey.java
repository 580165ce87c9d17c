package dev.portcullis.state.model;

import java.time.Instant;
import java.util.Optional;

/**
 * A long-term access key ({@code AKIA…}) of a user ({@code ownerArn} is the user's ARN) or of a
 * service principal. Only the sealed secret is kept here; the clear secret lives in the view's
 * key index, in memory only.
 */
public record AccessKey(String accessKeyId, String accountId, String ownerName, String ownerArn,
                        AccessKeyStatus status, Instant createdAt, SealedSecret sealedSecret,
                        Optional<AccessKeyLastUsed> lastUsed) {
}
