package dev.portcullis.server.pipeline;

import dev.portcullis.core.policy.PolicyRef;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One resolved API operation: what the pipeline must authorize, and what to run once authorized.
 *
 * @param name              the API's operation name ({@code CreateRole}), the audit's {@code eventName}
 * @param action            the IAM action to authorize ({@code iam:CreateRole})
 * @param resource          the resource ARN ({@code arn:aws:iam::111122223333:role/path/name}) or {@code *}
 * @param resourceAccount   the account owning the resource
 * @param requestTags       tags the request sets ({@code aws:RequestTag/…}, {@code aws:TagKeys})
 * @param resourceTags      tags of the target resource ({@code aws:ResourceTag/…})
 * @param context           extra context keys (service keys such as {@code iam:PolicyARN}, {@code sts:ExternalId})
 * @param resourcePolicies  resource-based policies of the target (a role's trust policy for {@code sts:AssumeRole})
 * @param readOnly          true when the operation changes nothing (the audit's {@code readOnly})
 * @param blocking          true when the handler touches the store (runs on a worker thread, not the event loop)
 * @param handler           what runs once the request is authorized
 */
public record Operation(
        String name,
        String action,
        String resource,
        String resourceAccount,
        Map<String, String> requestTags,
        Map<String, String> resourceTags,
        Map<String, List<String>> context,
        List<PolicyRef> resourcePolicies,
        boolean readOnly,
        boolean blocking,
        Handler handler) {

    public Operation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(handler, "handler");
        resourceAccount = resourceAccount == null ? "" : resourceAccount;
        requestTags = requestTags == null ? Map.of() : Map.copyOf(requestTags);
        resourceTags = resourceTags == null ? Map.of() : Map.copyOf(resourceTags);
        context = context == null ? Map.of() : Map.copyOf(context);
        resourcePolicies = resourcePolicies == null ? List.of() : List.copyOf(resourcePolicies);
    }

    /** A read-only operation on {@code resource} in {@code account}, run on the event loop. */
    public static Operation read(String name, String action, String resource, String account, Handler handler) {
        return new Operation(name, action, resource, account, null, null, null, null, true, false, handler);
    }

    /** A mutating operation on {@code resource} in {@code account}, run on a worker thread. */
    public static Operation write(String name, String action, String resource, String account, Handler handler) {
        return new Operation(name, action, resource, account, null, null, null, null, false, true, handler);
    }

    public Operation withRequestTags(Map<String, String> tags) {
        return new Operation(name, action, resource, resourceAccount, tags, resourceTags, context, resourcePolicies,
                readOnly, blocking, handler);
    }

    public Operation withResourceTags(Map<String, String> tags) {
        return new Operation(name, action, resource, resourceAccount, requestTags, tags, context, resourcePolicies,
                readOnly, blocking, handler);
    }

    public Operation withContext(Map<String, List<String>> extra) {
        return new Operation(name, action, resource, resourceAccount, requestTags, resourceTags, extra,
                resourcePolicies, readOnly, blocking, handler);
    }

    public Operation withResourcePolicies(List<PolicyRef> policies) {
        return new Operation(name, action, resource, resourceAccount, requestTags, resourceTags, context, policies,
                readOnly, blocking, handler);
    }

    /** Runs an authorized operation and answers with the response's XML document. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @return the whole XML response document (see {@link dev.portcullis.server.query.QueryXml})
         * @throws dev.portcullis.server.query.QueryException a client or server error in AWS's shape
         * @throws dev.portcullis.state.IamException         a rejected mutation; mapped to the wire by the pipeline
         */
        String run(RequestScope scope) throws dev.portcullis.state.IamException;
    }
}
