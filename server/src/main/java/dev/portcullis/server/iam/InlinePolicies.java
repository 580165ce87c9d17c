package dev.portcullis.server.iam;

import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.InlinePolicy;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.view.IamView;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Inline policies of users, groups and roles: Put/Get/List/Delete{User,Group,Role}Policy. */
final class InlinePolicies {

    private InlinePolicies() {
    }

    static void register(Map<String, Resolver> r) {
        for (PrincipalKind kind : PrincipalKind.values()) {
            String entity = entity(kind);
            r.put("Put" + entity + "Policy", c -> put(c, kind));
            r.put("Get" + entity + "Policy", c -> get(c, kind));
            r.put("List" + entity + "Policies", c -> list(c, kind));
            r.put("Delete" + entity + "Policy", c -> delete(c, kind));
        }
    }

    /** {@code User}, {@code Group}, {@code Role}: the word in action and member names. */
    static String entity(PrincipalKind kind) {
        return switch (kind) {
            case USER -> "User";
            case GROUP -> "Group";
            case ROLE -> "Role";
        };
    }

    /** An operation on an existing user, group or role (its ARN; tags for users and roles). */
    static Operation on(Call c, PrincipalKind kind, String name, boolean write, Call.Body body) {
        return switch (kind) {
            case USER -> Users.on(c, name, write, body);
            case ROLE -> Roles.on(c, name, write, body);
            case GROUP -> write ? c.write(Groups.arn(c, name), body) : c.read(Groups.arn(c, name), body);
        };
    }

    static Map<String, InlinePolicy> policiesOf(Call c, IamView view, PrincipalKind kind, String name)
            throws IamException {
        return switch (kind) {
            case USER -> Users.require(c, view, name).inlinePolicies();
            case ROLE -> Roles.require(c, view, name).inlinePolicies();
            case GROUP -> Groups.require(c, view, name).inlinePolicies();
        };
    }

    private static Operation put(Call c, PrincipalKind kind) {
        String name = c.entityName(entity(kind) + "Name");
        String policyName = c.policyName("PolicyName");
        String document = c.document("PolicyDocument");
        return on(c, kind, name, true, scope -> {
            Call.validatePolicy(document, switch (kind) {
                case USER -> PolicyKind.INLINE_USER;
                case GROUP -> PolicyKind.INLINE_GROUP;
                case ROLE -> PolicyKind.INLINE_ROLE;
            });
            c.state().apply(new Change.PutInlinePolicy(c.account(), kind, name, policyName, document));
            return c.empty(scope);
        });
    }

    private static Operation get(Call c, PrincipalKind kind) {
        String member = entity(kind) + "Name";
        String name = c.entityName(member);
        String policyName = c.policyName("PolicyName");
        return on(c, kind, name, false, scope -> {
            Map<String, InlinePolicy> policies = policiesOf(c, scope.view(), kind, name);
            InlinePolicy p = policies.values().stream().filter(x -> x.policyName().equalsIgnoreCase(policyName))
                    .findFirst().orElseThrow(() -> IamException.noSuchEntity("The " + kind.word()
                            + " policy with name " + policyName + " cannot be found."));
            String owner = canonicalName(c, scope.view(), kind, name);
            return c.respond(scope, x -> x.element(member, owner).element("PolicyName", p.policyName())
                    .element("PolicyDocument", IamXml.encodeDocument(p.document())));
        });
    }

    private static String canonicalName(Call c, IamView view, PrincipalKind kind, String name) throws IamException {
        return switch (kind) {
            case USER -> Users.require(c, view, name).userName();
            case ROLE -> Roles.require(c, view, name).roleName();
            case GROUP -> Groups.require(c, view, name).groupName();
        };
    }

    private static Operation list(Call c, PrincipalKind kind) {
        String name = c.entityName(entity(kind) + "Name");
        Page.validate(c);
        return on(c, kind, name, false, scope -> {
            List<String> names = policiesOf(c, scope.view(), kind, name).keySet().stream()
                    .sorted(Comparator.comparing(n -> n.toLowerCase(Locale.ROOT))).toList();
            Page<String> page = Page.of(c, names, n -> n);
            return c.respond(scope, x -> {
                x.start("PolicyNames");
                page.items().forEach(n -> x.element("member", n));
                x.end("PolicyNames");
                page.writeTail(x);
            });
        });
    }

    private static Operation delete(Call c, PrincipalKind kind) {
        String name = c.entityName(entity(kind) + "Name");
        String policyName = c.policyName("PolicyName");
        return on(c, kind, name, true, scope -> {
            c.state().apply(new Change.DeleteInlinePolicy(c.account(), kind, name, policyName));
            return c.empty(scope);
        });
    }
}
