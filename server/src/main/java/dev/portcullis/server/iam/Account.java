package dev.portcullis.server.iam;

import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.server.query.QueryXml;
import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.Group;
import dev.portcullis.state.model.InlinePolicy;
import dev.portcullis.state.model.ManagedPolicy;
import dev.portcullis.state.model.Names;
import dev.portcullis.state.model.PolicyVersion;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.model.User;
import dev.portcullis.state.view.IamView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The account: its alias and GetAccountAuthorizationDetails. */
final class Account {

    private static final Set<String> FILTERS = Set.of("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy");

    private Account() {
    }

    static void register(Map<String, Resolver> r) {
        r.put("CreateAccountAlias", Account::createAlias);
        r.put("DeleteAccountAlias", Account::deleteAlias);
        r.put("ListAccountAliases", Account::listAliases);
        r.put("GetAccountAuthorizationDetails", Account::details);
    }

    private static String alias(Call c) {
        String alias = c.required("AccountAlias");
        Call.check(() -> Names.accountAlias(alias));
        return alias;
    }

    private static Operation createAlias(Call c) {
        String alias = alias(c);
        return c.write("*", scope -> {
            c.state().apply(new Change.SetAccountAlias(c.account(), Optional.of(alias)));
            return c.empty(scope);
        });
    }

    private static Operation deleteAlias(Call c) {
        String alias = alias(c);
        return c.write("*", scope -> {
            boolean current = scope.view().account(c.account()).flatMap(a -> a.alias()).map(alias::equals)
                    .orElse(false);
            if (!current) {
                throw IamException.noSuchEntity("The account alias " + alias + " cannot be found.");
            }
            c.state().apply(new Change.SetAccountAlias(c.account(), Optional.empty()));
            return c.empty(scope);
        });
    }

    private static Operation listAliases(Call c) {
        Page.validate(c);
        return c.read("*", scope -> {
            List<String> aliases = scope.view().account(c.account()).flatMap(a -> a.alias()).stream().toList();
            Page<String> page = Page.of(c, aliases, a -> a);
            return c.respond(scope, x -> {
                x.start("AccountAliases");
                page.items().forEach(a -> x.element("member", a));
                x.end("AccountAliases");
                page.writeTail(x);
            });
        });
    }

    /**
     * GetAccountAuthorizationDetails: every user, group, role and managed policy with their policies,
     * filtered by {@code Filter.member.N}. One page holds up to {@code MaxItems} entities across the
     * four lists (users, groups, roles, policies, in that order).
     */
    private static Operation details(Call c) {
        List<String> filter = c.params().list("Filter");
        for (String f : filter) {
            if (!FILTERS.contains(f)) {
                throw QueryException.invalid("Filter", f,
                        "Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]");
            }
        }
        Page.validate(c);
        boolean all = filter.isEmpty();
        return c.heavyRead("*", scope -> {
            IamView view = scope.view();
            List<Object[]> entities = new ArrayList<>();
            if (all || filter.contains("User")) {
                view.users(c.account()).forEach(u -> entities.add(new Object[] {"0/" + lower(u.userName()), u}));
            }
            if (all || filter.contains("Group")) {
                view.groups(c.account()).forEach(g -> entities.add(new Object[] {"1/" + lower(g.groupName()), g}));
            }
            if (all || filter.contains("Role")) {
                view.roles(c.account()).forEach(r -> entities.add(new Object[] {"2/" + lower(r.roleName()), r}));
            }
            if (all || filter.contains("LocalManagedPolicy")) {
                view.managedPolicies(c.account())
                        .forEach(p -> entities.add(new Object[] {"3/" + lower(p.policyName()), p}));
            }
            Page<Object[]> page = Page.of(c, entities, e -> (String) e[0]);
            return c.respond(scope, x -> {
                x.start("UserDetailList");
                page.items().stream().filter(e -> e[1] instanceof User).forEach(e -> user(x, view, (User) e[1]));
                x.end("UserDetailList");
                x.start("GroupDetailList");
                page.items().stream().filter(e -> e[1] instanceof Group).forEach(e -> group(x, (Group) e[1]));
                x.end("GroupDetailList");
                x.start("RoleDetailList");
                page.items().stream().filter(e -> e[1] instanceof Role).forEach(e -> role(x, (Role) e[1]));
                x.end("RoleDetailList");
                x.start("Policies");
                page.items().stream().filter(e -> e[1] instanceof ManagedPolicy)
                        .forEach(e -> policy(x, view, (ManagedPolicy) e[1]));
                x.end("Policies");
                page.writeTail(x);
            });
        });
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static void inline(QueryXml x, String list, Map<String, InlinePolicy> policies) {
        x.start(list);
        policies.values().stream().sorted(Comparator.comparing(p -> lower(p.policyName()))).forEach(p ->
                x.start("member").element("PolicyName", p.policyName())
                        .element("PolicyDocument", IamXml.encodeDocument(p.document())).end("member"));
        x.end(list);
    }

    private static void user(QueryXml x, IamView view, User u) {
        x.start("member");
        IamXml.user(x, u, false);
        inline(x, "UserPolicyList", u.inlinePolicies());
        x.start("GroupList");
        u.groups().forEach(g -> x.element("member", view.group(u.accountId(), g).map(Group::groupName).orElse(g)));
        x.end("GroupList");
        IamXml.attached(x, "AttachedManagedPolicies", u.attachedPolicies());
        IamXml.boundary(x, u.permissionsBoundary());
        IamXml.tags(x, u.tags());
        x.end("member");
    }

    private static void group(QueryXml x, Group g) {
        x.start("member");
        IamXml.group(x, g);
        inline(x, "GroupPolicyList", g.inlinePolicies());
        IamXml.attached(x, "AttachedManagedPolicies", g.attachedPolicies());
        x.end("member");
    }

    private static void role(QueryXml x, Role r) {
        x.start("member");
        x.element("Path", r.path()).element("RoleName", r.roleName()).element("RoleId", r.roleId())
                .element("Arn", r.arn()).element("CreateDate", r.createdAt())
                .element("AssumeRolePolicyDocument", IamXml.encodeDocument(r.assumeRolePolicyDocument()));
        x.start("InstanceProfileList").end("InstanceProfileList");
        inline(x, "RolePolicyList", r.inlinePolicies());
        IamXml.attached(x, "AttachedManagedPolicies", r.attachedPolicies());
        IamXml.boundary(x, r.permissionsBoundary());
        IamXml.tags(x, r.tags());
        x.start("RoleLastUsed");
        r.lastUsed().ifPresent(l -> x.element("LastUsedDate", l.lastUsedAt()).element("Region", l.region()));
        x.end("RoleLastUsed");
        x.end("member");
    }

    private static void policy(QueryXml x, IamView view, ManagedPolicy p) {
        x.start("member");
        IamXml.policy(x, p, view, true);
        x.start("PolicyVersionList");
        for (PolicyVersion v : p.versions()) {
            x.start("member");
            IamXml.version(x, p, v, true);
            x.end("member");
        }
        x.end("PolicyVersionList");
        x.end("member");
    }
}
