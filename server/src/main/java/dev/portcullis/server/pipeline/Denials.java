package dev.portcullis.server.pipeline;

import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.Decision;
import dev.portcullis.core.policy.PolicyRole;
import dev.portcullis.core.policy.StatementRef;

/**
 * AWS's wording for authorization failures: {@code User: ARN is not authorized to perform: ACTION on
 * resource: RESOURCE because no identity-based policy allows the ACTION action} and the explicit-deny
 * variant that names the kind of policy that denied. An implicit deny of {@code sts:AssumeRole},
 * {@code AssumeRoleWithSAML} or {@code AssumeRoleWithWebIdentity} is only {@code User: ARN is not authorized to
 * perform: sts:AssumeRole on resource: ROLE_ARN}, as STS answers it.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html">Access denied error messages</a>
 */
public final class Denials {

    private Denials() {
    }

    public static String message(String callerArn, String action, String resource, AuthorizationResult result) {
        String head = "User: " + callerArn + " is not authorized to perform: " + action + " on resource: " + resource;
        if (result.decision() == Decision.EXPLICIT_DENY) {
            PolicyRole role = result.decisiveStatements().stream().map(StatementRef::role).findFirst()
                    .orElse(PolicyRole.IDENTITY);
            return head + " with an explicit deny in " + article(role);
        }
        if (action.regionMatches(true, 0, "sts:AssumeRole", 0, "sts:AssumeRole".length())) {
            // STS says no more for an implicit deny of AssumeRole*: the trust policy, the caller's identity
            // policies or both may be missing, and it does not say which (and claiming "no identity-based
            // policy" would be wrong for a caller whose policy allows it but whom the trust policy does not name).
            return head;
        }
        return head + " because no identity-based policy allows the " + action + " action";
    }

    private static String article(PolicyRole role) {
        return switch (role) {
            case IDENTITY -> "an identity-based policy";
            case PERMISSIONS_BOUNDARY -> "a permissions boundary";
            case SESSION -> "a session policy";
            case RESOURCE -> "a resource-based policy";
            case SERVICE_CONTROL -> "a service control policy";
            case RESOURCE_CONTROL -> "a resource control policy";
        };
    }
}
