package dev.portcullis.server.pipeline;

import dev.portcullis.core.policy.AuthorizationRequest;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.Policies;
import dev.portcullis.core.policy.Policy;
import dev.portcullis.core.policy.PolicyEngine;
import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.core.policy.PolicyRef;
import dev.portcullis.core.policy.PolicySet;
import dev.portcullis.core.policy.PolicyValidationException;
import dev.portcullis.core.policy.PrincipalType;
import dev.portcullis.core.token.SessionClaims;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.state.view.CompiledPolicy;
import dev.portcullis.state.view.IamView;
import dev.portcullis.state.view.PrincipalPolicies;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authorizes an operation for a caller with the policy engine: gathers the caller's identity policies,
 * permissions boundary and session policies from the in-memory model, the operation's resource
 * policies, and the request context ({@code aws:SourceIp}, {@code aws:SecureTransport}, …). No I/O.
 *
 * <p>Two AWS mechanisms are expressed as the policies AWS itself uses, so they show up in explanations:
 * the account root's unrestricted access within its account, and session revocation
 * ({@code AWSRevokeOlderSessions}: deny everything to sessions whose {@code aws:TokenIssueTime} is
 * before the role's watermark).
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html">Revoking role sessions</a>
 */
public final class AccessControl {

    /** Headers a registered service principal may sign to assert the resource it acts for. */
    public static final String SOURCE_ARN_HEADER = "x-portcullis-source-arn";
    public static final String SOURCE_ACCOUNT_HEADER = "x-portcullis-source-account";

    private static final int MAX_CACHED_POLICIES = 10_000;
    private static final PolicyRef ROOT_POLICY = new PolicyRef("root", parse(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AccountRoot\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
            PolicyKind.MANAGED));

    private final Clock clock;
    private final String region;
    private final ConcurrentHashMap<String, Policy> sessionPolicies = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Instant, PolicyRef> revocations = new ConcurrentHashMap<>();

    public AccessControl(Clock clock, String region) {
        this.clock = clock;
        this.region = region;
    }

    /**
     * Actions AWS lets every authenticated caller perform whatever its policies say: they only report
     * on or strengthen the caller's own authentication.
     *
     * @see <a href="https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html">GetCallerIdentity</a>
     */
    static final java.util.Set<String> ALWAYS_ALLOWED = java.util.Set.of("sts:GetCallerIdentity", "sts:GetSessionToken");

    /** Authorizes {@code operation}; {@code explain} fills the per-statement explanation (slower). */
    public AuthorizationResult authorize(Caller caller, Operation operation, InboundRequest request,
                                         Authenticator.Authenticated auth, IamView view, boolean explain) {
        return authorize(caller, operation.action(), operation.resource(), operation.resourceAccount(),
                operation.requestTags(), operation.resourceTags(), operation.context(), operation.resourcePolicies(),
                request, auth, view, explain);
    }

    /** Authorizes one action; used for operations that need several (AssumeRole with tags: {@code sts:TagSession}). */
    public AuthorizationResult authorize(Caller caller, String action, String resource, String resourceAccount,
                                         Map<String, String> requestTags, Map<String, String> resourceTags,
                                         Map<String, List<String>> context, List<PolicyRef> resourcePolicies,
                                         InboundRequest request, Authenticator.Authenticated auth, IamView view,
                                         boolean explain) {
        if (ALWAYS_ALLOWED.contains(action)) {
            return new AuthorizationResult(dev.portcullis.core.policy.Decision.ALLOW,
                    "No permission is required for " + action, List.of(), List.of(), List.of());
        }
        AuthorizationRequest.Builder b = AuthorizationRequest.builder()
                .principal(caller.principal())
                .action(action)
                .resource(resource)
                .resourceAccount(resourceAccount.isEmpty() ? caller.accountId() : resourceAccount)
                .policies(policies(caller, resourcePolicies, view))
                .time(clock.instant());
        requestTags.forEach(b::requestTag);
        resourceTags.forEach(b::resourceTag);
        requestContext(b, caller, request, auth);
        context.forEach(b::context);
        AuthorizationRequest question = b.build();
        return explain ? PolicyEngine.explain(question) : PolicyEngine.evaluate(question);
    }

    private void requestContext(AuthorizationRequest.Builder b, Caller caller, InboundRequest request,
                                Authenticator.Authenticated auth) {
        b.context("aws:SourceIp", request.sourceIp());
        b.context("aws:SecureTransport", Boolean.toString(request.secure()));
        b.context("aws:RequestedRegion", region);
        b.context("aws:ViaAWSService", "false");
        if (!request.userAgent().isEmpty()) {
            b.context("aws:UserAgent", request.userAgent());
        }
        if (caller.session().isPresent()) {
            SessionClaims s = caller.session().get();
            b.context("aws:TokenIssueTime", dev.portcullis.audit.event.IsoInstant.format(s.issuedAt()));
            b.context("aws:MultiFactorAuthPresent", "false");
            if (s.sourceIdentity() != null) {
                b.context("aws:SourceIdentity", s.sourceIdentity());
            }
            if (s.sourceArn() != null) {
                b.context("aws:SourceArn", s.sourceArn());
            }
            if (s.sourceAccount() != null) {
                b.context("aws:SourceAccount", s.sourceAccount());
            }
        }
        // A registered service may assert the resource it acts for, in headers it signed (see Authenticator).
        if (caller.source().sourceArn() != null) {
            b.context("aws:SourceArn", caller.source().sourceArn());
        }
        if (caller.source().sourceAccount() != null) {
            b.context("aws:SourceAccount", caller.source().sourceAccount());
        }
    }

    /**
     * The caller's own policies (identity, boundary, session), once per credential and snapshot: keyed by the
     * session's claims or, without a session, the principal, and tied to the principal object (both are the
     * same objects for every request of a credential within a snapshot; see {@link Authenticator}).
     */
    private static final SnapshotMemo<PolicySet> CALLER_POLICIES = new SnapshotMemo<>();

    /** The policies that apply to {@code caller}'s requests, with the target's resource policies. */
    PolicySet policies(Caller caller, List<PolicyRef> resourcePolicies, IamView view) {
        Object key = caller.session().isPresent() ? caller.session().get() : caller.principal();
        PolicySet own = CALLER_POLICIES.get(key, caller.principal(), view, (k, v) -> callerPolicies(caller, v));
        return resourcePolicies.isEmpty() ? own
                : new PolicySet(own.identity(), own.permissionsBoundary(), own.session(), resourcePolicies, List.of(),
                        List.of());
    }

    /** The caller's identity policies, permissions boundary and session policies (no resource policies). */
    private PolicySet callerPolicies(Caller caller, IamView view) {
        List<PolicyRef> identity = new ArrayList<>();
        PolicyRef boundary = null;
        List<PolicyRef> session = List.of();
        PrincipalType type = caller.principal().type();
        if (type == PrincipalType.ACCOUNT) {
            identity.add(ROOT_POLICY);
        } else if (type == PrincipalType.USER || type == PrincipalType.ASSUMED_ROLE) {
            String owner = type == PrincipalType.USER ? caller.principal().arn() : caller.principal().roleArn();
            // A session whose role was deleted (or a user deleted mid-flight) keeps no permissions.
            PrincipalPolicies own = view.principalPolicies(owner);
            if (own != null) {
                for (CompiledPolicy p : own.identityPolicies()) {
                    identity.add(ref(p));
                }
                boundary = own.permissionsBoundary().map(this::ref).orElse(null);
            }
            if (type == PrincipalType.ASSUMED_ROLE) {
                revocation(caller, view).ifPresent(identity::add);
            }
        }
        if (caller.session().isPresent()) {
            session = sessionPolicies(caller.session().get(), view);
        }
        return new PolicySet(identity, boundary, session, List.of(), List.of(), List.of());
    }

    private Optional<PolicyRef> revocation(Caller caller, IamView view) {
        return view.roleByArn(caller.principal().roleArn())
                .flatMap(role -> role.sessionsRevokedBefore())
                .map(before -> revocations.computeIfAbsent(before, t -> new PolicyRef("AWSRevokeOlderSessions", parse(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],"
                                + "\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"" + t + "\"}}}]}",
                        PolicyKind.INLINE_ROLE))));
    }

    private List<PolicyRef> sessionPolicies(SessionClaims claims, IamView view) {
        if (claims.sessionPolicy() == null && claims.policyArns().isEmpty()) {
            return List.of();
        }
        List<PolicyRef> out = new ArrayList<>();
        if (claims.sessionPolicy() != null) {
            Policy p = cached(sessionPolicies, claims.sessionPolicy(), PolicyKind.SESSION);
            out.add(new PolicyRef("session-policy", p));
        }
        for (String arn : claims.policyArns()) {
            // A managed session policy that no longer exists grants nothing; it still restricts.
            view.compiledManagedPolicy(arn).ifPresentOrElse(p -> out.add(ref(p)),
                    () -> out.add(new PolicyRef(arn, DENY_NOTHING_ALLOW_NOTHING)));
        }
        return out;
    }

    private static final Policy DENY_NOTHING_ALLOW_NOTHING = parse(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotAction\":\"*\",\"Resource\":\"*\"}]}",
            PolicyKind.SESSION);

    /** A stored policy (always kept compiled by the state) named as explanations show it. */
    public PolicyRef ref(CompiledPolicy p) {
        String id = p.name() == null || p.name().isEmpty() || p.source().contains(":policy/")
                ? p.source() : p.source() + "/" + p.name();
        return new PolicyRef(id, p.policy());
    }

    private static Policy cached(ConcurrentHashMap<String, Policy> cache, String document, PolicyKind kind) {
        Policy p = cache.get(document);
        if (p != null) {
            return p;
        }
        if (cache.size() > MAX_CACHED_POLICIES) {
            cache.clear();
        }
        return cache.computeIfAbsent(document, d -> parseOrDenyAll(d, kind));
    }

    /** A stored policy that no longer parses must not grant anything: it becomes an explicit deny of all. */
    private static Policy parseOrDenyAll(String document, PolicyKind kind) {
        try {
            return Policies.parse(document, kind);
        } catch (PolicyValidationException e) {
            return parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
                    PolicyKind.MANAGED);
        }
    }

    private static Policy parse(String document, PolicyKind kind) {
        try {
            return Policies.parse(document, kind);
        } catch (PolicyValidationException e) {
            throw new IllegalStateException("built-in policy does not parse: " + e.getMessage(), e);
        }
    }
}
