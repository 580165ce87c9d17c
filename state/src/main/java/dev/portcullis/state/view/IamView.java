package dev.portcullis.state.view;

import dev.portcullis.state.model.Account;
import dev.portcullis.state.model.Api;
import dev.portcullis.state.model.Group;
import dev.portcullis.state.model.ManagedPolicy;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.model.ServicePrincipal;
import dev.portcullis.state.model.User;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An immutable snapshot of the IAM model at one log sequence, with the indexes the request path
 * reads. Safe to share between threads; never changes after construction. Lookups by name are
 * case-insensitive, as in IAM.
 */
public final class IamView {
    private static final IamView EMPTY = new IamView(0, ShardedMap.empty(), ShardedMap.empty(), ShardedMap.empty(),
            ShardedMap.empty(), ShardedMap.empty(), ShardedMap.empty(), ShardedMap.empty(), ShardedMap.empty(),
            ShardedMap.empty(), ShardedMap.empty(), ShardedMap.empty(), ShardedMap.empty(), ShardedMap.empty(),
            ShardedMap.empty(), ShardedMap.empty(), ShardedMap.empty());

    final long sequence;
    final ShardedMap<String, Account> accounts;
    final ShardedMap<String, User> users;
    final ShardedMap<String, User> usersByArn;
    final ShardedMap<String, Role> roles;
    final ShardedMap<String, Role> rolesByArn;
    final ShardedMap<String, Group> groups;
    final ShardedMap<String, ManagedPolicy> policies;
    final ShardedMap<String, String> policyArnsByName;
    final ShardedMap<String, CompiledPolicy> compiledManaged;
    final ShardedMap<String, CompiledPolicy> compiledInline;
    final ShardedMap<String, CompiledPolicy> compiledTrust;
    final ShardedMap<String, AccessKeyEntry> accessKeys;
    final ShardedMap<String, ServicePrincipal> servicePrincipals;
    final ShardedMap<String, Api> apis;
    final ShardedMap<String, CompiledPolicy> compiledApiPolicies;
    final ShardedMap<String, PrincipalPolicies> principalPolicies;

    IamView(long sequence, ShardedMap<String, Account> accounts, ShardedMap<String, User> users,
            ShardedMap<String, User> usersByArn, ShardedMap<String, Role> roles, ShardedMap<String, Role> rolesByArn,
            ShardedMap<String, Group> groups, ShardedMap<String, ManagedPolicy> policies,
            ShardedMap<String, String> policyArnsByName, ShardedMap<String, CompiledPolicy> compiledManaged,
            ShardedMap<String, CompiledPolicy> compiledInline, ShardedMap<String, CompiledPolicy> compiledTrust,
            ShardedMap<String, AccessKeyEntry> accessKeys, ShardedMap<String, ServicePrincipal> servicePrincipals,
            ShardedMap<String, Api> apis, ShardedMap<String, CompiledPolicy> compiledApiPolicies,
            ShardedMap<String, PrincipalPolicies> principalPolicies) {
        this.sequence = sequence;
        this.accounts = accounts;
        this.users = users;
        this.usersByArn = usersByArn;
        this.roles = roles;
        this.rolesByArn = rolesByArn;
        this.groups = groups;
        this.policies = policies;
        this.policyArnsByName = policyArnsByName;
        this.compiledManaged = compiledManaged;
        this.compiledInline = compiledInline;
        this.compiledTrust = compiledTrust;
        this.accessKeys = accessKeys;
        this.servicePrincipals = servicePrincipals;
        this.apis = apis;
        this.compiledApiPolicies = compiledApiPolicies;
        this.principalPolicies = principalPolicies;
    }

    /** The view before the first change (sequence 0). */
    public static IamView empty() {
        return EMPTY;
    }

    static String key(String accountId, String name) {
        return accountId + '/' + name.toLowerCase(Locale.ROOT);
    }

    static String inlineKey(String ownerArn, String policyName) {
        return ownerArn + '\u0000' + policyName.toLowerCase(Locale.ROOT);
    }

    /** The last log sequence applied to this view. */
    public long sequence() {
        return sequence;
    }

    public Optional<Account> account(String accountId) {
        return Optional.ofNullable(accounts.get(accountId));
    }

    public List<Account> accounts() {
        return sorted(accounts.values(), Comparator.comparing(Account::accountId));
    }

    public Optional<User> user(String accountId, String userName) {
        return Optional.ofNullable(users.get(key(accountId, userName)));
    }

    public Optional<User> userByArn(String arn) {
        return Optional.ofNullable(usersByArn.get(arn));
    }

    /** The account's users ordered by name (IAM's ListUsers order); O(all users). */
    public List<User> users(String accountId) {
        return sorted(users.values().stream().filter(u -> u.accountId().equals(accountId)).toList(),
                Comparator.comparing(u -> u.userName().toLowerCase(Locale.ROOT)));
    }

    public Optional<Role> role(String accountId, String roleName) {
        return Optional.ofNullable(roles.get(key(accountId, roleName)));
    }

    public Optional<Role> roleByArn(String arn) {
        return Optional.ofNullable(rolesByArn.get(arn));
    }

    public List<Role> roles(String accountId) {
        return sorted(roles.values().stream().filter(r -> r.accountId().equals(accountId)).toList(),
                Comparator.comparing(r -> r.roleName().toLowerCase(Locale.ROOT)));
    }

    public Optional<Group> group(String accountId, String groupName) {
        return Optional.ofNullable(groups.get(key(accountId, groupName)));
    }

    public List<Group> groups(String accountId) {
        return sorted(groups.values().stream().filter(g -> g.accountId().equals(accountId)).toList(),
                Comparator.comparing(g -> g.groupName().toLowerCase(Locale.ROOT)));
    }

    /** The group's members, ordered by name; O(all users). */
    public List<User> groupMembers(String accountId, String groupName) {
        return sorted(users.values().stream().filter(u -> u.accountId().equals(accountId)
                        && u.groups().stream().anyMatch(g -> g.equalsIgnoreCase(groupName))).toList(),
                Comparator.comparing(u -> u.userName().toLowerCase(Locale.ROOT)));
    }

    public Optional<ManagedPolicy> managedPolicy(String policyArn) {
        return Optional.ofNullable(policies.get(policyArn));
    }

    public List<ManagedPolicy> managedPolicies(String accountId) {
        return sorted(policies.values().stream().filter(p -> p.accountId().equals(accountId)).toList(),
                Comparator.comparing(p -> p.policyName().toLowerCase(Locale.ROOT)));
    }

    /** The compiled default version of a managed policy. */
    public Optional<CompiledPolicy> compiledManagedPolicy(String policyArn) {
        return Optional.ofNullable(compiledManaged.get(policyArn));
    }

    /**
     * The principal's compiled identity policies and boundary, by user or role ARN: the hot read
     * of authorization (one sharded hash lookup). Null when no such user or role.
     */
    public PrincipalPolicies principalPolicies(String principalArn) {
        return principalPolicies.get(principalArn);
    }

    /** The compiled trust policy of a role, by role ARN. */
    public Optional<CompiledPolicy> trustPolicy(String roleArn) {
        return Optional.ofNullable(compiledTrust.get(roleArn));
    }

    /** An access key with its secret in memory and its owner; empty when unknown. */
    public Optional<AccessKeyEntry> accessKey(String accessKeyId) {
        return Optional.ofNullable(accessKeys.get(accessKeyId));
    }

    /** Every access key (users' and service principals'); O(keys). */
    public List<AccessKeyEntry> accessKeys() {
        return accessKeys.values();
    }

    /** The user's access keys, oldest first. */
    public List<AccessKeyEntry> accessKeys(String accountId, String userName) {
        User u = users.get(key(accountId, userName));
        if (u == null) {
            return List.of();
        }
        String arn = u.arn();
        return sorted(accessKeys.values().stream().filter(e -> e.key().ownerArn().equals(arn)).toList(),
                Comparator.comparing((AccessKeyEntry e) -> e.key().createdAt())
                        .thenComparing(e -> e.key().accessKeyId()));
    }

    public Optional<ServicePrincipal> servicePrincipal(String name) {
        return Optional.ofNullable(servicePrincipals.get(name.toLowerCase(Locale.ROOT)));
    }

    public List<ServicePrincipal> servicePrincipals() {
        return sorted(servicePrincipals.values(), Comparator.comparing(ServicePrincipal::name));
    }

    public Optional<Api> api(String apiId) {
        return Optional.ofNullable(apis.get(apiId));
    }

    public List<Api> apis() {
        return sorted(apis.values(), Comparator.comparing(Api::apiId));
    }

    public Optional<CompiledPolicy> apiResourcePolicy(String apiId) {
        return Optional.ofNullable(compiledApiPolicies.get(apiId));
    }

    public int userCount() {
        return users.size();
    }

    public int roleCount() {
        return roles.size();
    }

    public int accessKeyCount() {
        return accessKeys.size();
    }

    private static <T> List<T> sorted(List<T> list, Comparator<? super T> order) {
        return list.stream().sorted(order).toList();
    }

    @Override
    public String toString() {
        return "IamView[seq=" + sequence + ", users=" + users.size() + ", roles=" + roles.size() + "]";
    }
}
