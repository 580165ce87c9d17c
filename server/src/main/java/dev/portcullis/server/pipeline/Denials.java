package dev.portcullis.server.pipeline;

import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.Decision;
import dev.portcullis.core.policy.PolicyRole;
import dev.portcullis.core.policy.StatementRef;

/**
 * AWS's wording for authorization failures: {@code User: ARN is not authorized to perform: ACTION on
 * resource: RESOURCE because no identity-based policy allows the ACTION action} and the explicit-deny
 * variant that names the kind of policy that denied.
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
