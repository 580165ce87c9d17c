package dev.portcullis.core.token;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a temporary credential carries. Sealed into the session token by {@link SessionTokenCodec}.
 *
 * @param accessKeyId       the temporary access key id ({@code ASIA…}); the request's key id must equal it
 * @param secretAccessKey   the session's secret; never printed by {@link #toString()}
 * @param type              assumed role or user session
 * @param accountId         the account of the principal
 * @param principalArn      the role ARN ({@code arn:aws:iam::ACCOUNT:role/path/name}) or the user ARN
 * @param principalId       the role's or user's unique id ({@code AROA…}/{@code AIDA…})
 * @param sessionName       the role session name (null for user sessions)
 * @param sourceIdentity    {@code aws:SourceIdentity}, or null
 * @param tags              session tags ({@code aws:PrincipalTag/…} for the session)
 * @param transitiveTagKeys session tag keys that carry over to chained sessions
 * @param sessionPolicy     inline session policy document, or null
 * @param policyArns        managed session policies
 * @param issuedAt          {@code aws:TokenIssueTime}
 * @param expiresAt         after this instant the token is refused with {@code ExpiredToken}
 * @param roleChained       true when this session was obtained with another role session (max 1 h)
 * @param sourceArn         for sessions a service principal obtained on behalf of a resource, else null
 * @param sourceAccount     likewise
 */
public record SessionClaims(
        String accessKeyId,
        String secretAccessKey,
        SessionType type,
        String accountId,
        String principalArn,
        String principalId,
        String sessionName,
        String sourceIdentity,
        Map<String, String> tags,
        Set<String> transitiveTagKeys,
        String sessionPolicy,
        List<String> policyArns,
        Instant issuedAt,
        Instant expiresAt,
        boolean roleChained,
        String sourceArn,
        String sourceAccount) {

    public SessionClaims {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(principalId, "principalId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        transitiveTagKeys = transitiveTagKeys == null ? Set.of() : Set.copyOf(transitiveTagKeys);
        policyArns = policyArns == null ? List.of() : List.copyOf(policyArns);
        if (type == SessionType.ASSUMED_ROLE && (sessionName == null || sessionName.isEmpty())) {
            throw new IllegalArgumentException("an assumed-role session needs a session name");
        }
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("a session must expire after it is issued");
        }
    }

    /**
     * The ARN the session acts as: {@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION} for an assumed
     * role (the role's path is dropped, as AWS does), the user's ARN for a user session.
     */
    public String sessionArn() {
        if (type == SessionType.USER_SESSION) {
            return principalArn;
        }
        String resource = principalArn.substring(principalArn.indexOf(":role/") + ":role/".length());
        String roleName = resource.substring(resource.lastIndexOf('/') + 1);
        return "arn:aws:sts::" + accountId + ":assumed-role/" + roleName + "/" + sessionName;
    }

    /** {@code aws:userid}: {@code ROLEID:session-name} for a role session, the user id otherwise. */
    public String userId() {
        return type == SessionType.ASSUMED_ROLE ? principalId + ":" + sessionName : principalId;
    }

    @Override
    public String toString() {
        return "SessionClaims[accessKeyId=" + accessKeyId + ", type=" + type + ", principalArn=" + principalArn
                + ", sessionName=" + sessionName + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt
                + ", secretAccessKey=<redacted>]";
    }
}
