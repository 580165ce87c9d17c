package dev.portcullis.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Evaluates an {@link AuthorizationRequest} with AWS's policy evaluation logic.
 *
 * <p>In order ("Policy evaluation logic", "Cross-account policy evaluation logic"):
 * <ol>
 *   <li>an explicit {@code Deny} in any policy wins;</li>
 *   <li>organization policies (SCPs, RCPs) must allow at every level;</li>
 *   <li>a resource-based policy that allows: in the same account (or for a service, web-identity or
 *       anonymous caller) it grants on its own when it names the exact user or session, is still
 *       limited by the boundary and session policies when it names the role, and only delegates to
 *       identity policies when it names the account; across accounts the identity side must allow too;</li>
 *   <li>identity-based policies must allow, within the permissions boundary and the session policies;</li>
 *   <li>otherwise the final implicit deny.</li>
 * </ol>
 * A trust policy (kind {@link PolicyKind#TRUST}) among the resource policies must always allow:
 * a role is only assumed when its trust policy says so.
 *
 * <p>The caller gathers the policies (see {@link PolicySet}). {@link #evaluate} is the hot path:
 * it visits only statements indexed under the action's service and stops at the first explicit deny;
 * {@link #explain} examines every statement and records why each did or did not apply. Thread-safe, stateless.
 */
public final class PolicyEngine {

    private PolicyEngine() {}

    /** Decides; fills the decisive statements but not the per-statement explanation. */
    public static AuthorizationResult evaluate(AuthorizationRequest request) {
        return new Evaluation(request, false).run();
    }

    /** Decides and explains: every evaluated statement, each condition, and the missing context keys. */
    public static AuthorizationResult explain(AuthorizationRequest request) {
        return new Evaluation(request, true).run();
    }

    /** One evaluation's mutable scratch state; confined to the calling thread. */
    private static final class Evaluation {
        private final AuthorizationRequest req;
        private final boolean explain;
        private final ContextValues ctx;
        private final String action;
        private final String service;
        private final String resource;

        private final List<StatementRef> denies = new ArrayList<>(1);
        private final List<StatementTrace> traces;
        private final TreeSet<String> missing;

        // The first allowing statement per role; resource allow with how strongly it named the caller.
        private StatementRef identityAllow;
        private StatementRef boundaryAllow;
        private StatementRef sessionAllow;
        private StatementRef resourceAllow;
        private PrincipalMatcher.Kind resourceKind = PrincipalMatcher.Kind.NONE;

        Evaluation(AuthorizationRequest req, boolean explain) {
            this.req = req;
            this.explain = explain;
            this.ctx = req.values();
            this.action = req.actionLower();
            this.service = req.service();
            this.resource = req.resource();
            this.traces = explain ? new ArrayList<>() : List.of();
            this.missing = explain ? new TreeSet<>() : null;
        }

        AuthorizationResult run() {
            PolicySet set = req.policies();
            // 1. Explicit deny anywhere, while remembering what allowed.
            StatementRef[] scpAllow = levels(set.serviceControl(), PolicyRole.SERVICE_CONTROL);
            StatementRef[] rcpAllow = levels(set.resourceControl(), PolicyRole.RESOURCE_CONTROL);
            for (PolicyRef p : set.resource()) {
                StatementRef a = scan(p, PolicyRole.RESOURCE);
                if (a != null && resourceAllow == null) {
                    resourceAllow = a;
                }
            }
            identityAllow = scanAll(set.identity(), PolicyRole.IDENTITY);
            if (set.permissionsBoundary() != null) {
                boundaryAllow = scan(set.permissionsBoundary(), PolicyRole.PERMISSIONS_BOUNDARY);
            }
            sessionAllow = scanAll(set.session(), PolicyRole.SESSION);
            if (!denies.isEmpty()) {
                return result(Decision.EXPLICIT_DENY, "Explicitly denied by " + denies.get(0).label(), denies);
            }
            // 2. Organization policies must allow at every level.
            for (int i = 0; i < scpAllow.length; i++) {
                if (scpAllow[i] == null) {
                    return result(Decision.IMPLICIT_DENY, "No service control policy at organization level " + i + " allows the action", List.of());
                }
            }
            for (int i = 0; i < rcpAllow.length; i++) {
                if (rcpAllow[i] == null) {
                    return result(Decision.IMPLICIT_DENY, "No resource control policy at organization level " + i + " allows the action", List.of());
                }
            }
            boolean boundaryOk = set.permissionsBoundary() == null || boundaryAllow != null;
            boolean sessionOk = set.session().isEmpty() || sessionAllow != null;
            boolean trustRequired = isTrustAction() || hasTrustPolicy(set.resource());
            PrincipalType type = req.principal().type();
            boolean resourceAlone = req.sameAccount() || type == PrincipalType.SERVICE
                    || type == PrincipalType.ANONYMOUS || type == PrincipalType.WEB_IDENTITY;

            // 3. Resource-based policies.
            if (resourceKind != PrincipalMatcher.Kind.NONE && resourceAlone) {
                if (resourceKind == PrincipalMatcher.Kind.EXACT) {
                    return allow("Allowed by the resource-based policy, which names the principal", resourceAllow);
                }
                if (resourceKind == PrincipalMatcher.Kind.ROLE) {
                    if (!boundaryOk) {
                        return result(Decision.IMPLICIT_DENY, "The resource-based policy names the role, and the permissions boundary does not allow the action", List.of());
                    }
                    if (!sessionOk) {
                        return result(Decision.IMPLICIT_DENY, "The resource-based policy names the role, and no session policy allows the action", List.of());
                    }
                    return allow("Allowed by the resource-based policy, which names the session's role", resourceAllow);
                }
                // ACCOUNT: the resource policy delegates to the account's identity policies.
            }
            if (trustRequired && resourceKind == PrincipalMatcher.Kind.NONE) {
                return result(Decision.IMPLICIT_DENY, "The role's trust policy does not allow the principal", List.of());
            }
            if (!resourceAlone && resourceKind == PrincipalMatcher.Kind.NONE) {
                return result(Decision.IMPLICIT_DENY, "Cross-account request: no resource-based policy in account "
                        + req.resourceAccount() + " allows the principal", List.of());
            }
            // 4. Identity-based policies, within the boundary and session policies.
            if (type == PrincipalType.ACCOUNT && req.sameAccount()) {
                // The root user has every permission in its own account; only denies and SCPs limit it.
                return result(Decision.ALLOW, "The account root user has full access to its own account", List.of());
            }
            if (identityAllow == null) {
                return result(Decision.IMPLICIT_DENY, resourceKind == PrincipalMatcher.Kind.NONE
                        ? "No identity-based policy allows the action"
                        : "The resource-based policy allows the account, but no identity-based policy allows the action", List.of());
            }
            if (!boundaryOk) {
                return result(Decision.IMPLICIT_DENY, "The permissions boundary does not allow the action", List.of());
            }
            if (!sessionOk) {
                return result(Decision.IMPLICIT_DENY, "No session policy allows the action", List.of());
            }
            return allow(resourceKind == PrincipalMatcher.Kind.NONE ? "Allowed by an identity-based policy"
                    : "Allowed by the resource-based policy and an identity-based policy", resourceKind == PrincipalMatcher.Kind.NONE ? null : resourceAllow);
        }

        private boolean earlyDeny;

        private static boolean hasTrustPolicy(List<PolicyRef> resourcePolicies) {
            for (int i = 0, n = resourcePolicies.size(); i < n; i++) {
                if (resourcePolicies.get(i).policy().kind() == PolicyKind.TRUST) {
                    return true;
                }
            }
            return false;
        }

        private boolean isTrustAction() {
            return action.equals("sts:assumerole") || action.equals("sts:assumerolewithwebidentity")
                    || action.equals("sts:assumerolewithsaml");
        }

        private AuthorizationResult allow(String reason, StatementRef resourceRef) {
            List<StatementRef> decisive = new ArrayList<>(4);
            if (resourceRef != null) {
                decisive.add(resourceRef);
            }
            boolean identityUsed = resourceRef == null || resourceKind == PrincipalMatcher.Kind.ACCOUNT || !req.sameAccount();
            if (identityUsed && identityAllow != null) {
                decisive.add(identityAllow);
            }
            if (boundaryAllow != null && (identityUsed || resourceKind == PrincipalMatcher.Kind.ROLE)) {
                decisive.add(boundaryAllow);
            }
            if (sessionAllow != null && (identityUsed || resourceKind == PrincipalMatcher.Kind.ROLE)) {
                decisive.add(sessionAllow);
            }
            return result(Decision.ALLOW, reason, decisive);
        }

        private AuthorizationResult result(Decision d, String reason, List<StatementRef> decisive) {
            return new AuthorizationResult(d, reason, decisive, traces, missing == null ? List.of() : new ArrayList<>(missing));
        }

        private StatementRef[] levels(List<List<PolicyRef>> levels, PolicyRole role) {
            StatementRef[] allow = new StatementRef[levels.size()];
            for (int i = 0; i < allow.length; i++) {
                allow[i] = scanAll(levels.get(i), role);
            }
            return allow;
        }

        private StatementRef scanAll(List<PolicyRef> policies, PolicyRole role) {
            StatementRef first = null;
            for (int i = 0, n = policies.size(); i < n; i++) {
                StatementRef a = scan(policies.get(i), role);
                if (first == null) {
                    first = a;
                }
            }
            return first;
        }

        /** Scans one policy: records denies, returns its first allowing statement (or null). */
        private StatementRef scan(PolicyRef ref, PolicyRole role) {
            if (earlyDeny) {
                return null;
            }
            Policy policy = ref.policy();
            int[] candidates = explain ? policy.allStatements() : policy.candidates(service);
            List<CompiledStatement> statements = policy.statements();
            StatementRef firstAllow = null;
            for (int c : candidates) {
                CompiledStatement s = statements.get(c);
                PrincipalMatcher.Kind kind = explain ? trace(ref, role, s) : applies(s);
                if (kind == PrincipalMatcher.Kind.NONE) {
                    continue;
                }
                if (s.effect == Effect.DENY) {
                    denies.add(new StatementRef(ref.id(), role, s.index, s.sid, s.effect));
                    if (!explain) {
                        earlyDeny = true;
                        return null;
                    }
                } else {
                    if (firstAllow == null || role == PolicyRole.RESOURCE && kind.compareTo(resourceKind) > 0) {
                        firstAllow = new StatementRef(ref.id(), role, s.index, s.sid, s.effect);
                        if (role == PolicyRole.RESOURCE && kind.compareTo(resourceKind) > 0) {
                            resourceKind = kind;
                            resourceAllow = firstAllow;
                        }
                    }
                }
            }
            return firstAllow;
        }

        /** The fast path: does the statement apply, and how did it name the caller (EXACT when no Principal). */
        private PrincipalMatcher.Kind applies(CompiledStatement s) {
            if (!s.matchesAction(action) || !s.matchesResource(resource, ctx)) {
                return PrincipalMatcher.Kind.NONE;
            }
            PrincipalMatcher.Kind kind = s.principal == null ? PrincipalMatcher.Kind.EXACT : s.principal.match(req.principal());
            if (kind == PrincipalMatcher.Kind.NONE || !s.conditionsHold(ctx)) {
                return PrincipalMatcher.Kind.NONE;
            }
            return kind;
        }

        /** The explaining path: same decision as {@link #applies}, with a trace of every part. */
        private PrincipalMatcher.Kind trace(PolicyRef ref, PolicyRole role, CompiledStatement s) {
            boolean actionOk = s.matchesAction(action);
            boolean resourceOk = s.matchesResource(resource, ctx);
            PrincipalMatcher.Kind kind = s.principal == null ? PrincipalMatcher.Kind.EXACT : s.principal.match(req.principal());
            List<ConditionTrace> conditions = new ArrayList<>(s.conditions.length);
            boolean all = true;
            for (CompiledCondition c : s.conditions) {
                boolean m = c.evaluate(ctx);
                all &= m;
                conditions.add(new ConditionTrace(c.op.json(), c.keyAsWritten, c.rawValues, m, c.reason(ctx, m)));
                if (actionOk && resourceOk && kind != PrincipalMatcher.Kind.NONE) {
                    for (String k : c.keysRead()) {
                        if (!ctx.present(k) && c.op.operator() != ConditionOperator.NULL) {
                            missing.add(k);
                        }
                    }
                }
            }
            boolean applies = actionOk && resourceOk && kind != PrincipalMatcher.Kind.NONE && all;
            String principal = s.principal == null ? "n/a" : kind.name();
            traces.add(new StatementTrace(new StatementRef(ref.id(), role, s.index, s.sid, s.effect),
                    actionOk, resourceOk, principal, conditions, applies));
            return applies ? kind : PrincipalMatcher.Kind.NONE;
        }
    }
}
