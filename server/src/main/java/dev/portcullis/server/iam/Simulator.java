package dev.portcullis.server.iam;

import dev.portcullis.core.policy.AuthorizationRequest;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.Effect;
import dev.portcullis.core.policy.Policies;
import dev.portcullis.core.policy.PolicyEngine;
import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.core.policy.PolicyRef;
import dev.portcullis.core.policy.PolicyRole;
import dev.portcullis.core.policy.PolicySet;
import dev.portcullis.core.policy.PolicyValidationException;
import dev.portcullis.core.policy.PrincipalType;
import dev.portcullis.core.policy.RequestPrincipal;
import dev.portcullis.core.policy.StatementRef;
import dev.portcullis.core.policy.StatementTrace;
import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.server.pipeline.RequestScope;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.server.query.QueryXml;
import dev.portcullis.state.IamException;
import dev.portcullis.state.model.Group;
import dev.portcullis.state.model.InlinePolicy;
import dev.portcullis.state.model.ManagedPolicy;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.model.User;
import dev.portcullis.state.view.IamView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The policy simulator: SimulateCustomPolicy, SimulatePrincipalPolicy and GetContextKeysFor*Policy,
 * answered by the same engine that authorizes requests ({@link PolicyEngine#explain}).
 */
final class Simulator {

    private static final Set<String> KEY_TYPES = Set.of("string", "stringList", "numeric", "numericList", "boolean",
            "booleanList", "ip", "ipList", "binary", "binaryList", "date", "dateList");
    private static final Pattern SOURCE_ARN =
            Pattern.compile("arn:aws:iam::(\\d{12}):(user|group|role)(/.*)?/([\\w+=,.@-]+)");

    /** Where a policy of the simulation came from, as the response names it. */
    record Source(String id, String type, String document) {
    }

    /** The simulation's policies: PolicyRef ids are keys into {@code sources}. */
    static final class Inputs {
        final List<PolicyRef> identity = new ArrayList<>();
        PolicyRef boundary;
        PolicyRef resource;
        final Map<String, Source> sources = new LinkedHashMap<>();

        PolicyRef add(String id, String type, String document, PolicyKind kind) throws IamException {
            String key = "p" + sources.size();
            try {
                PolicyRef ref = new PolicyRef(key, Policies.parse(document, kind));
                sources.put(key, new Source(id, type, document));
                return ref;
            } catch (PolicyValidationException e) {
                throw new IamException(e.code(), e.getMessage(),
                        "LimitExceeded".equals(e.code()) ? 409 : 400);
            }
        }

        PolicySet policySet() {
            PolicySet.Builder b = PolicySet.builder().identity(identity);
            if (boundary != null) {
                b.permissionsBoundary(boundary);
            }
            if (resource != null) {
                b.resource(resource);
            }
            return b.build();
        }
    }

    private Simulator() {
    }

    static void register(Map<String, Resolver> r) {
        r.put("SimulateCustomPolicy", Simulator::simulateCustom);
        r.put("SimulatePrincipalPolicy", Simulator::simulatePrincipal);
        r.put("GetContextKeysForCustomPolicy", Simulator::keysCustom);
        r.put("GetContextKeysForPrincipalPolicy", Simulator::keysPrincipal);
    }

    // ---- parameters ---------------------------------------------------------------------------

    private static List<String> actions(Call c) {
        List<String> actions = c.params().list("ActionNames");
        if (actions.isEmpty()) {
            throw QueryException.missing("ActionNames");
        }
        for (String a : actions) {
            if (a.isEmpty() || a.length() > 128) {
                throw QueryException.invalid("ActionNames", a, "Member must have length between 1 and 128");
            }
        }
        return actions;
    }

    private static List<String> resources(Call c) {
        List<String> resources = c.params().list("ResourceArns");
        return resources.isEmpty() ? List.of("*") : resources;
    }

    private static Map<String, List<String>> contextEntries(Call c) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<Map<String, String>> entries = c.params().structures("ContextEntries");
        for (int i = 0; i < entries.size(); i++) {
            Map<String, String> e = entries.get(i);
            String member = "ContextEntries.member." + (i + 1);
            String name = e.get("ContextKeyName");
            if (name == null || name.isEmpty() || name.length() > 256) {
                throw QueryException.invalid(member + ".ContextKeyName", name,
                        "Member must have length between 5 and 256");
            }
            String type = e.get("ContextKeyType");
            if (type != null && !KEY_TYPES.contains(type)) {
                throw QueryException.invalid(member + ".ContextKeyType", type,
                        "Member must satisfy enum value set: " + KEY_TYPES.stream().sorted().toList());
            }
            List<String> values = new ArrayList<>();
            for (int m = 1; e.containsKey("ContextKeyValues.member." + m); m++) {
                values.add(e.get("ContextKeyValues.member." + m));
            }
            out.put(name, values);
        }
        return out;
    }

    private static void checkPolicyInputs(Call c, String list, boolean required) {
        List<String> docs = c.params().list(list);
        if (required && docs.isEmpty()) {
            throw QueryException.missing(list);
        }
        for (String d : docs) {
            if (d.isEmpty() || d.length() > 131_072) {
                throw QueryException.invalid(list, d, "Member must have length between 1 and 131072");
            }
        }
    }

    /** The {@code PolicySourceArn}: a user, group or role of the caller's account. */
    private static Matcher sourceArn(Call c) {
        String arn = c.required("PolicySourceArn");
        Matcher m = SOURCE_ARN.matcher(arn);
        if (!m.matches()) {
            throw new QueryException("InvalidInput", "Invalid ARN " + arn + ": must be the ARN of a user, group or role.",
                    400);
        }
        return m;
    }

    // ---- operations ---------------------------------------------------------------------------

    private static Operation simulateCustom(Call c) {
        checkPolicyInputs(c, "PolicyInputList", true);
        List<String> actions = actions(c);
        List<String> resources = resources(c);
        Map<String, List<String>> context = contextEntries(c);
        Page.validate(c);
        return c.heavyRead("*", scope -> {
            Inputs in = new Inputs();
            addInputs(c, in, "none");
            RequestPrincipal principal = callerFor(c, scope.view(), c.optional("CallerArn"));
            return results(c, scope, in, principal, actions, resources, context);
        });
    }

    private static Operation simulatePrincipal(Call c) {
        Matcher source = sourceArn(c);
        checkPolicyInputs(c, "PolicyInputList", false);
        List<String> actions = actions(c);
        List<String> resources = resources(c);
        Map<String, List<String>> context = contextEntries(c);
        Page.validate(c);
        return c.heavyRead(source.group(0), scope -> {
            Inputs in = new Inputs();
            RequestPrincipal principal = principalPolicies(c, scope.view(), source, in);
            addInputs(c, in, "none");
            if (c.optional("CallerArn").isPresent()) {
                principal = callerFor(c, scope.view(), c.optional("CallerArn"));
            }
            return results(c, scope, in, principal, actions, resources, context);
        });
    }

    private static Operation keysCustom(Call c) {
        checkPolicyInputs(c, "PolicyInputList", true);
        return c.heavyRead("*", scope -> {
            Map<String, String> keys = new LinkedHashMap<>();
            c.params().list("PolicyInputList").forEach(d -> PolicyText.contextKeys(d).forEach(keys::putIfAbsent));
            return keyNames(c, scope, keys);
        });
    }

    private static Operation keysPrincipal(Call c) {
        Matcher source = sourceArn(c);
        checkPolicyInputs(c, "PolicyInputList", false);
        return c.heavyRead(source.group(0), scope -> {
            Inputs in = new Inputs();
            principalPolicies(c, scope.view(), source, in);
            Map<String, String> keys = new LinkedHashMap<>();
            in.sources.values().forEach(s -> PolicyText.contextKeys(s.document()).forEach(keys::putIfAbsent));
            c.params().list("PolicyInputList").forEach(d -> PolicyText.contextKeys(d).forEach(keys::putIfAbsent));
            return keyNames(c, scope, keys);
        });
    }

    private static String keyNames(Call c, RequestScope scope, Map<String, String> keys) {
        return c.respond(scope, x -> {
            x.start("ContextKeyNames");
            keys.values().forEach(k -> x.element("member", k));
            x.end("ContextKeyNames");
        });
    }

    // ---- gathering policies -------------------------------------------------------------------

    /** Adds {@code PolicyInputList}, {@code PermissionsBoundaryPolicyInputList} and {@code ResourcePolicy}. */
    private static void addInputs(Call c, Inputs in, String type) throws IamException {
        List<String> docs = c.params().list("PolicyInputList");
        for (int i = 0; i < docs.size(); i++) {
            in.identity.add(in.add("PolicyInputList." + (i + 1), type, docs.get(i), PolicyKind.MANAGED));
        }
        List<String> boundaries = c.params().list("PermissionsBoundaryPolicyInputList");
        if (boundaries.size() > 1) {
            throw IamException.validation("1 validation error detected: Value at 'permissionsBoundaryPolicyInputList'"
                    + " failed to satisfy constraint: Member must have length less than or equal to 1");
        }
        if (!boundaries.isEmpty()) {
            in.boundary = in.add("PermissionsBoundaryPolicyInputList.1", "none", boundaries.get(0), PolicyKind.MANAGED);
        }
        Optional<String> resourcePolicy = c.optional("ResourcePolicy");
        if (resourcePolicy.isPresent()) {
            in.resource = in.add("ResourcePolicy", "resource", resourcePolicy.get(), PolicyKind.RESOURCE);
        }
    }

    /** The user's, group's or role's own policies (and a user's groups'), and its boundary. */
    private static RequestPrincipal principalPolicies(Call c, IamView view, Matcher source, Inputs in)
            throws IamException {
        String arn = source.group(0);
        String kind = source.group(2);
        String name = source.group(4);
        if (!source.group(1).equals(c.account())) {
            throw IamException.noSuchEntity("The " + kind + " with name " + name + " cannot be found.");
        }
        switch (kind) {
            case "user" -> {
                User u = view.user(c.account(), name).filter(x -> x.arn().equals(arn))
                        .orElseThrow(() -> IamException.noSuchEntity("user", name));
                addInline(in, "user", u.inlinePolicies(), PolicyKind.INLINE_USER);
                addManaged(c, view, in, u.attachedPolicies());
                for (String g : u.groups()) {
                    Optional<Group> group = view.group(c.account(), g);
                    if (group.isPresent()) {
                        addInline(in, "group", group.get().inlinePolicies(), PolicyKind.INLINE_GROUP);
                        addManaged(c, view, in, group.get().attachedPolicies());
                    }
                }
                addBoundary(c, view, in, u.permissionsBoundary());
                return RequestPrincipal.user(u.arn(), u.userId(), Call.tagMap(u.tags()));
            }
            case "role" -> {
                Role r = view.role(c.account(), name).filter(x -> x.arn().equals(arn))
                        .orElseThrow(() -> IamException.noSuchEntity("role", name));
                addInline(in, "role", r.inlinePolicies(), PolicyKind.INLINE_ROLE);
                addManaged(c, view, in, r.attachedPolicies());
                addBoundary(c, view, in, r.permissionsBoundary());
                return RequestPrincipal.assumedRole(r.arn(), r.roleId(), "simulation", Call.tagMap(r.tags()));
            }
            default -> {
                Group g = view.group(c.account(), name).filter(x -> x.arn().equals(arn))
                        .orElseThrow(() -> IamException.noSuchEntity("group", name));
                addInline(in, "group", g.inlinePolicies(), PolicyKind.INLINE_GROUP);
                addManaged(c, view, in, g.attachedPolicies());
                return new RequestPrincipal(PrincipalType.USER, "", c.account(), "", "", "", Map.of());
            }
        }
    }

    private static void addInline(Inputs in, String type, Map<String, InlinePolicy> policies, PolicyKind kind)
            throws IamException {
        List<InlinePolicy> ordered = policies.values().stream()
                .sorted(Comparator.comparing(p -> p.policyName().toLowerCase(Locale.ROOT))).toList();
        for (InlinePolicy p : ordered) {
            in.identity.add(in.add(p.policyName(), type, p.document(), kind));
        }
    }

    private static void addManaged(Call c, IamView view, Inputs in, List<String> arns) throws IamException {
        for (String arn : arns) {
            ManagedPolicy p = ManagedPolicies.require(c, view, arn);
            in.identity.add(in.add(p.policyName(), "user-managed", p.defaultVersion().document(), PolicyKind.MANAGED));
        }
    }

    private static void addBoundary(Call c, IamView view, Inputs in, Optional<String> arn) throws IamException {
        // A PermissionsBoundaryPolicyInputList given in the request replaces the entity's boundary.
        if (arn.isPresent() && c.params().list("PermissionsBoundaryPolicyInputList").isEmpty()) {
            ManagedPolicy p = ManagedPolicies.require(c, view, arn.get());
            in.boundary = in.add(p.policyName(), "user-managed", p.defaultVersion().document(), PolicyKind.MANAGED);
        }
    }

    /**
     * The principal a custom simulation runs as: {@code CallerArn} (a user of the account, with its
     * tags, or any user ARN), else an unnamed principal of the account, so that keys such as
     * {@code aws:username} show up as missing rather than being taken from whoever asked.
     */
    private static RequestPrincipal callerFor(Call c, IamView view, Optional<String> callerArn) throws IamException {
        if (callerArn.isEmpty()) {
            return new RequestPrincipal(PrincipalType.USER, "", c.account(), "", "", "", Map.of());
        }
        String arn = callerArn.get();
        Optional<User> user = view.userByArn(arn);
        if (user.isPresent()) {
            return RequestPrincipal.user(arn, user.get().userId(), Call.tagMap(user.get().tags()));
        }
        if (!arn.matches("arn:aws:iam::\\d{12}:user(/.*)?/[\\w+=,.@-]+")) {
            throw IamException.invalidInput("Invalid CallerArn " + arn + ": must be the ARN of an IAM user.");
        }
        return RequestPrincipal.user(arn, "", Map.of());
    }

    // ---- evaluating ---------------------------------------------------------------------------

    private record Result(String action, String resource, AuthorizationResult result) {
    }

    private static String results(Call c, RequestScope scope, Inputs in, RequestPrincipal principal,
                                  List<String> actions, List<String> resources, Map<String, List<String>> context) {
        PolicySet set = in.policySet();
        String owner = resourceOwner(c);
        List<Result> results = new ArrayList<>();
        for (String action : actions) {
            for (String resource : resources) {
                AuthorizationRequest.Builder b = AuthorizationRequest.builder().principal(principal).action(action)
                        .resource(resource).resourceAccount(owner).policies(set);
                context.forEach(b::context);
                results.add(new Result(action, resource, PolicyEngine.explain(b.build())));
            }
        }
        Map<String, String> spelled = new LinkedHashMap<>();
        in.sources.values().forEach(s -> PolicyText.contextKeys(s.document()).forEach(spelled::putIfAbsent));
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            indexes.add(i);
        }
        Page<Integer> page = Page.of(c, indexes, i -> String.format(Locale.ROOT, "%08d", i));
        return c.respond(scope, x -> {
            x.start("EvaluationResults");
            for (int i : page.items()) {
                result(x, in, results.get(i), spelled);
            }
            x.end("EvaluationResults");
            page.writeTail(x);
        });
    }

    private static String resourceOwner(Call c) {
        Optional<String> owner = c.optional("ResourceOwner");
        if (owner.isEmpty()) {
            return c.account();
        }
        Matcher m = Pattern.compile("(?:arn:aws:iam::)?(\\d{12})(?::root)?").matcher(owner.get());
        return m.matches() ? m.group(1) : c.account();
    }

    private static void result(QueryXml x, Inputs in, Result r, Map<String, String> spelled) {
        AuthorizationResult a = r.result();
        x.start("member").element("EvalActionName", r.action()).element("EvalResourceName", r.resource())
                .element("EvalDecision", a.decision().simulatorName());
        x.start("MatchedStatements");
        for (StatementRef s : a.decisiveStatements()) {
            matched(x, in, s);
        }
        x.end("MatchedStatements");
        x.start("MissingContextValues");
        a.missingContextKeys().forEach(k -> x.element("member", spelled.getOrDefault(k.toLowerCase(Locale.ROOT), k)));
        x.end("MissingContextValues");
        if (in.boundary != null) {
            boolean allowed = allowedBy(a, PolicyRole.PERMISSIONS_BOUNDARY);
            x.start("PermissionsBoundaryDecisionDetail").element("AllowedByPermissionsBoundary", allowed)
                    .end("PermissionsBoundaryDecisionDetail");
        }
        x.end("member");
    }

    /** True when a statement of {@code role} allows and none of its statements denies. */
    static boolean allowedBy(AuthorizationResult a, PolicyRole role) {
        boolean allow = false;
        for (StatementTrace t : a.evaluatedStatements()) {
            if (t.statement().role() == role && t.applies()) {
                if (t.statement().effect() == Effect.DENY) {
                    return false;
                }
                allow = true;
            }
        }
        return allow;
    }

    private static void matched(QueryXml x, Inputs in, StatementRef s) {
        Source src = in.sources.get(s.policyId());
        if (src == null) {
            return;
        }
        x.start("member").element("SourcePolicyId", src.id()).element("SourcePolicyType", src.type());
        List<PolicyText.Span> spans = PolicyText.statementSpans(src.document());
        if (s.index() < spans.size()) {
            PolicyText.Span span = spans.get(s.index());
            x.start("StartPosition").element("Line", span.startLine()).element("Column", span.startColumn())
                    .end("StartPosition");
            x.start("EndPosition").element("Line", span.endLine()).element("Column", span.endColumn())
                    .end("EndPosition");
        }
        x.end("member");
    }
}
