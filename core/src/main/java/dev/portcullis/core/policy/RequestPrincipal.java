package dev.portcullis.core.policy;

import dev.portcullis.core.arn.Arn;
import java.util.Map;
import java.util.Objects;

/**
 * Who is asking: the authenticated caller as the policy engine sees it.
 *
 * @param type      what kind of principal
 * @param arn       the caller's ARN (user ARN, role-session ARN, root ARN); for a service, its name
 *                  ({@code lambda.amazonaws.com}); for a web-identity user, the provider
 *                  (ARN of the SAML/OIDC provider or e.g. {@code cognito-identity.amazonaws.com}); empty when anonymous
 * @param accountId the caller's account, empty for services and anonymous callers
 * @param userId    the unique id ({@code AIDA…} for users; {@code AROA…:session} for role sessions)
 * @param username  the IAM user name, empty unless {@code type} is {@code USER}
 * @param roleArn   for a role session, the ARN of the role (with its path); empty otherwise
 * @param tags      principal tags (for sessions, the session tags override role tags already)
 */
public record RequestPrincipal(
        PrincipalType type, String arn, String accountId, String userId, String username, String roleArn,
        Map<String, String> tags) {

    public RequestPrincipal {
        Objects.requireNonNull(type, "type");
        arn = Objects.requireNonNullElse(arn, "");
        accountId = Objects.requireNonNullElse(accountId, "");
        userId = Objects.requireNonNullElse(userId, "");
        username = Objects.requireNonNullElse(username, "");
        roleArn = Objects.requireNonNullElse(roleArn, "");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /**
     * An IAM user, e.g. {@code arn:aws:iam::123456789012:user/ops/alice}.
     *
     * @throws IllegalArgumentException when {@code userArn} is not an ARN
     */
    public static RequestPrincipal user(String userArn, String userId, Map<String, String> tags) {
        Arn arn = Arn.parse(userArn);
        String id = arn.resourceId();
        String name = id.substring(id.lastIndexOf('/') + 1);
        return new RequestPrincipal(PrincipalType.USER, userArn, arn.accountId(), userId, name, "", tags);
    }

    /**
     * A role session. {@code roleArn} is the role's IAM ARN (with path); the session ARN is derived
     * ({@code arn:aws:sts::acct:assumed-role/name/session}).
     *
     * @throws IllegalArgumentException when {@code roleArn} is not an ARN
     */
    public static RequestPrincipal assumedRole(String roleArn, String roleId, String sessionName, Map<String, String> tags) {
        Arn role = Arn.parse(roleArn);
        String path = role.resourceId();
        String roleName = path.substring(path.lastIndexOf('/') + 1);
        String sessionArn = "arn:" + role.partition() + ":sts::" + role.accountId() + ":assumed-role/" + roleName + "/" + sessionName;
        return new RequestPrincipal(PrincipalType.ASSUMED_ROLE, sessionArn, role.accountId(),
                roleId + ":" + sessionName, "", roleArn, tags);
    }

    /** The account root user. */
    public static RequestPrincipal root(String accountId) {
        return new RequestPrincipal(PrincipalType.ACCOUNT, "arn:aws:iam::" + accountId + ":root", accountId,
                accountId, "", "", Map.of());
    }

    /** An AWS service principal, e.g. {@code lambda.amazonaws.com}. */
    public static RequestPrincipal service(String serviceName) {
        return new RequestPrincipal(PrincipalType.SERVICE, serviceName, "", serviceName, "", "", Map.of());
    }

    /** A user authenticated by an identity provider (the {@code Federated} principal). */
    public static RequestPrincipal webIdentity(String provider, String subject) {
        return new RequestPrincipal(PrincipalType.WEB_IDENTITY, provider, "", subject, "", "", Map.of());
    }

    /** An unauthenticated caller. */
    public static RequestPrincipal anonymous() {
        return new RequestPrincipal(PrincipalType.ANONYMOUS, "", "", "anonymous", "", "", Map.of());
    }

    /** The value of {@code aws:PrincipalArn}: the role's ARN for a role session, otherwise {@link #arn()}. */
    public String principalArnKey() {
        return type == PrincipalType.ASSUMED_ROLE ? roleArn : arn;
    }
}
