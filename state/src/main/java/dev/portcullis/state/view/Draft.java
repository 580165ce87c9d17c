package dev.portcullis.state.view;

import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.state.IamException;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.model.Account;
import dev.portcullis.state.model.Api;
import dev.portcullis.state.model.Group;
import dev.portcullis.state.model.InlinePolicy;
import dev.portcullis.state.model.ManagedPolicy;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.model.ServicePrincipal;
import dev.portcullis.state.model.User;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The view being built by one change: starts as the current view's maps and replaces entries
 * (each replacement shares the untouched shards). Principals whose policies may have changed are
 * collected and their {@link PrincipalPolicies} recomputed once, in {@link #build}. Confined to
 * the applying thread.
 */
final class Draft {
    final PolicyCompiler compiler;
    final Keyring keyring;
    ShardedMap<String, Account> accounts;
    ShardedMap<String, User> users;
    ShardedMap<String, User> usersByArn;
    ShardedMap<String, Role> roles;
    ShardedMap<String, Role> rolesByArn;
    ShardedMap<String, Group> groups;
    ShardedMap<String, ManagedPolicy> policies;
    ShardedMap<String, String> policyArnsByName;
    ShardedMap<String, CompiledPolicy> compiledManaged;
    ShardedMap<String, CompiledPolicy> compiledInline;
    ShardedMap<String, CompiledPolicy> compiledTrust;
    ShardedMap<String, AccessKeyEntry> accessKeys;
    ShardedMap<String, ServicePrincipal> servicePrincipals;
    ShardedMap<String, Api> apis;
    ShardedMap<String, CompiledPolicy> compiledApiPolicies;
    ShardedMap<String, PrincipalPolicies> principalPolicies;
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Set<String> dirtyGroups = new LinkedHashSet<>();
    private final Set<String> dirtyManaged = new LinkedHashSet<>();

    Draft(IamView v, PolicyCompiler compiler, Keyring keyring) {
        this.compiler = compiler;
        this.keyring = keyring;
        accounts = v.accounts;
        users = v.users;
        usersByArn = v.usersByArn;
        roles = v.roles;
        rolesByArn = v.rolesByArn;
        groups = v.groups;
        policies = v.policies;
        policyArnsByName = v.policyArnsByName;
        compiledManaged = v.compiledManaged;
        compiledInline = v.compiledInline;
        compiledTrust = v.compiledTrust;
        accessKeys = v.accessKeys;
        servicePrincipals = v.servicePrincipals;
        apis = v.apis;
        compiledApiPolicies = v.compiledApiPolicies;
        principalPolicies = v.principalPolicies;
    }

    // ---- lookups that fail in AWS's words

    Account account(String accountId) throws IamException {
        Account a = accounts.get(accountId);
        if (a == null) {
            throw IamException.noSuchEntity("The account with id " + accountId + " cannot be found.");
        }
        return a;
    }

    User user(String accountId, String name) throws IamException {
        User u = users.get(IamView.key(accountId, name));
        if (u == null) {
            throw IamException.noSuchEntity("user", name);
        }
        return u;
    }

    Role role(String accountId, String name) throws IamException {
        Role r = roles.get(IamView.key(accountId, name));
        if (r == null) {
            throw IamException.noSuchEntity("role", name);
        }
        return r;
    }

    Group group(String accountId, String name) throws IamException {
        Group g = groups.get(IamView.key(accountId, name));
        if (g == null) {
            throw IamException.noSuchEntity("group", name);
        }
        return g;
    }

    ManagedPolicy policy(String arn) throws IamException {
        ManagedPolicy p = arn == null ? null : policies.get(arn);
        if (p == null) {
            throw IamException.noSuchEntity("Policy " + arn + " does not exist or is not attachable.");
        }
        return p;
    }

    Api api(String apiId) throws IamException {
        Api a = apis.get(apiId);
        if (a == null) {
            throw IamException.noSuchEntity("The API with id " + apiId + " cannot be found.");
        }
        return a;
    }

    // ---- writes that keep the indexes in step

    void putUser(User u) {
        users = users.with(IamView.key(u.accountId(), u.userName()), u);
        usersByArn = usersByArn.with(u.arn(), u);
        dirty.add(u.arn());
    }

    void removeUser(User u) {
        users = users.without(IamView.key(u.accountId(), u.userName()));
        usersByArn = usersByArn.without(u.arn());
        principalPolicies = principalPolicies.without(u.arn());
        dirty.remove(u.arn());
    }

    void putRole(Role r) {
        roles = roles.with(IamView.key(r.accountId(), r.roleName()), r);
        rolesByArn = rolesByArn.with(r.arn(), r);
        dirty.add(r.arn());
    }

    void removeRole(Role r) {
        roles = roles.without(IamView.key(r.accountId(), r.roleName()));
        rolesByArn = rolesByArn.without(r.arn());
        compiledTrust = compiledTrust.without(r.arn());
        principalPolicies = principalPolicies.without(r.arn());
        dirty.remove(r.arn());
    }

    void putGroup(Group g) {
        groups = groups.with(IamView.key(g.accountId(), g.groupName()), g);
        dirtyGroups.add(IamView.key(g.accountId(), g.groupName()));
    }

    void putPolicy(ManagedPolicy p) {
        policies = policies.with(p.arn(), p);
        policyArnsByName = policyArnsByName.with(IamView.key(p.accountId(), p.policyName()), p.arn());
    }

    /** Records a new default version: recompiles it and marks its holders for recomputation. */
    void defaultVersionChanged(ManagedPolicy p) throws IamException {
        compiledManaged = compiledManaged.with(p.arn(), compile(p.arn(), p.defaultVersionId(),
                PolicyKind.MANAGED, p.defaultVersion().document()));
        dirtyManaged.add(p.arn());
    }

    CompiledPolicy compile(String source, String name, PolicyKind use, String document) throws IamException {
        return new CompiledPolicy(source, name, compiler.compile(document, use));
    }

    void putInline(String ownerArn, InlinePolicy p, PolicyKind use) throws IamException {
        compiledInline = compiledInline.with(IamView.inlineKey(ownerArn, p.policyName()),
                compile(ownerArn, p.policyName(), use, p.document()));
    }

    void removeInline(String ownerArn, String policyName) {
        compiledInline = compiledInline.without(IamView.inlineKey(ownerArn, policyName));
    }

    void markDirty(String principalArn) {
        dirty.add(principalArn);
    }

    /** Attached-policy list of an entity, by kind. */
    List<String> attached(String accountId, PrincipalKind kind, String name) throws IamException {
        return switch (kind) {
            case USER -> user(accountId, name).attachedPolicies();
            case ROLE -> role(accountId, name).attachedPolicies();
            case GROUP -> group(accountId, name).attachedPolicies();
        };
    }

    IamView build(long sequence) {
        expandDirty();
        for (String arn : dirty) {
            User u = usersByArn.get(arn);
            if (u != null) {
                principalPolicies = principalPolicies.with(arn, PrincipalIndex.forUser(this, u));
                continue;
            }
            Role r = rolesByArn.get(arn);
            if (r != null) {
                principalPolicies = principalPolicies.with(arn, PrincipalIndex.forRole(this, r));
            }
        }
        return new IamView(sequence, accounts, users, usersByArn, roles, rolesByArn, groups, policies,
                policyArnsByName, compiledManaged, compiledInline, compiledTrust, accessKeys, servicePrincipals,
                apis, compiledApiPolicies, principalPolicies);
    }

    /**
     * Group and managed-policy changes reach every holder. A scan over the principals: rare
     * changes (group policies, default versions) pay O(principals) so that reads pay nothing.
     */
    private void expandDirty() {
        if (dirtyGroups.isEmpty() && dirtyManaged.isEmpty()) {
            return;
        }
        List<String> more = new ArrayList<>();
        groups.forEach((k, g) -> {
            if (g.attachedPolicies().stream().anyMatch(dirtyManaged::contains)) {
                dirtyGroups.add(k);
            }
        });
        users.forEach((k, u) -> {
            boolean hit = holds(u.attachedPolicies(), u.permissionsBoundary());
            for (String g : u.groups()) {
                hit |= dirtyGroups.contains(IamView.key(u.accountId(), g));
            }
            if (hit) {
                more.add(u.arn());
            }
        });
        roles.forEach((k, r) -> {
            if (holds(r.attachedPolicies(), r.permissionsBoundary())) {
                more.add(r.arn());
            }
        });
        dirty.addAll(more);
    }

    private boolean holds(List<String> attached, Optional<String> boundary) {
        if (dirtyManaged.isEmpty()) {
            return false;
        }
        return attached.stream().anyMatch(dirtyManaged::contains)
                || boundary.map(dirtyManaged::contains).orElse(false);
    }
}
