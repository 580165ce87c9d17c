package dev.portcullis.state.view;

import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.change.Change.*;
import dev.portcullis.state.model.AccessKey;
import dev.portcullis.state.model.Group;
import dev.portcullis.state.model.InlinePolicy;
import dev.portcullis.state.model.Names;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.model.RoleLastUsed;
import dev.portcullis.state.model.Tag;
import dev.portcullis.state.model.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users, groups, roles, membership, tags, boundaries, role sessions. */
final class PrincipalRules {
    static final int GROUPS_PER_USER = 10;
    static final int MIN_SESSION = 3600;
    static final int MAX_SESSION = 43200;

    private PrincipalRules() {
    }

    static boolean apply(Draft d, Change c) throws IamException {
        if (c instanceof CreateUser x) {
            d.account(x.accountId());
            Names.entityName("userName", x.userName());
            Names.path(x.path());
            Names.tags(x.tags());
            if (d.users.get(IamView.key(x.accountId(), x.userName())) != null) {
                throw IamException.alreadyExists("User with name " + x.userName() + " already exists.");
            }
            boundaryExists(d, x.permissionsBoundary());
            d.putUser(new User(x.accountId(), x.userName(), x.path(), x.userId(), x.at(), x.tags(),
                    x.permissionsBoundary(), List.of(), List.of(), Map.of()));
        } else if (c instanceof DeleteUser x) {
            User u = d.user(x.accountId(), x.userName());
            String arn = u.arn();
            for (AccessKeyEntry e : d.accessKeys.values()) {
                if (e.key().ownerArn().equals(arn)) {
                    throw IamException.deleteConflict("Cannot delete entity, must delete access keys first.");
                }
            }
            if (!u.attachedPolicies().isEmpty()) {
                throw IamException.deleteConflict("Cannot delete entity, must detach all policies first.");
            }
            if (!u.inlinePolicies().isEmpty()) {
                throw IamException.deleteConflict("Cannot delete entity, must delete policies first.");
            }
            if (!u.groups().isEmpty()) {
                throw IamException.deleteConflict("Cannot delete entity, must remove user from all groups first.");
            }
            d.removeUser(u);
        } else if (c instanceof UpdateUser x) {
            updateUser(d, x);
        } else if (c instanceof UpdateGroup x) {
            updateGroup(d, x);
        } else if (c instanceof CreateGroup x) {
            d.account(x.accountId());
            Names.entityName("groupName", x.groupName());
            Names.path(x.path());
            if (d.groups.get(IamView.key(x.accountId(), x.groupName())) != null) {
                throw IamException.alreadyExists("Group with name " + x.groupName() + " already exists.");
            }
            d.putGroup(new Group(x.accountId(), x.groupName(), x.path(), x.groupId(), x.at(), List.of(), Map.of()));
        } else if (c instanceof DeleteGroup x) {
            Group g = d.group(x.accountId(), x.groupName());
            for (User u : d.users.values()) {
                if (u.accountId().equals(x.accountId())
                        && u.groups().stream().anyMatch(n -> n.equalsIgnoreCase(g.groupName()))) {
                    throw IamException.deleteConflict("Cannot delete entity, must remove users from group first.");
                }
            }
            if (!g.attachedPolicies().isEmpty()) {
                throw IamException.deleteConflict("Cannot delete entity, must detach all policies first.");
            }
            if (!g.inlinePolicies().isEmpty()) {
                throw IamException.deleteConflict("Cannot delete entity, must delete policies first.");
            }
            d.groups = d.groups.without(IamView.key(g.accountId(), g.groupName()));
        } else if (c instanceof AddUserToGroup x) {
            Group g = d.group(x.accountId(), x.groupName());
            User u = d.user(x.accountId(), x.userName());
            if (u.groups().stream().anyMatch(n -> n.equalsIgnoreCase(g.groupName()))) {
                return true; // IAM: adding a member twice succeeds and changes nothing
            }
            if (u.groups().size() >= GROUPS_PER_USER) {
                throw IamException.limitExceeded("Cannot exceed quota for GroupsPerUser: " + GROUPS_PER_USER);
            }
            List<String> groups = new ArrayList<>(u.groups());
            groups.add(g.groupName());
            d.putUser(withGroups(u, groups));
        } else if (c instanceof RemoveUserFromGroup x) {
            Group g = d.group(x.accountId(), x.groupName());
            User u = d.user(x.accountId(), x.userName());
            List<String> groups = new ArrayList<>(u.groups());
            if (!groups.removeIf(n -> n.equalsIgnoreCase(g.groupName()))) {
                throw IamException.noSuchEntity("User " + u.userName() + " is not in group " + g.groupName() + ".");
            }
            d.putUser(withGroups(u, groups));
        } else if (c instanceof CreateRole x) {
            createRole(d, x);
        } else if (c instanceof DeleteRole x) {
            Role r = d.role(x.accountId(), x.roleName());
            if (!r.attachedPolicies().isEmpty()) {
                throw IamException.deleteConflict("Cannot delete entity, must detach all policies first.");
            }
            if (!r.inlinePolicies().isEmpty()) {
                throw IamException.deleteConflict("Cannot delete entity, must delete policies first.");
            }
            d.removeRole(r);
        } else if (c instanceof UpdateRole x) {
            Role r = d.role(x.accountId(), x.roleName());
            int max = x.maxSessionDurationSeconds().orElse(r.maxSessionDurationSeconds());
            sessionDuration(max);
            String description = x.description().orElse(r.description());
            Names.description(description);
            d.putRole(new Role(r.accountId(), r.roleName(), r.path(), r.roleId(), r.createdAt(),
                    r.assumeRolePolicyDocument(), max, description, r.tags(), r.permissionsBoundary(),
                    r.attachedPolicies(), r.inlinePolicies(), r.lastUsed(), r.sessionsRevokedBefore()));
        } else if (c instanceof UpdateAssumeRolePolicy x) {
            Role r = d.role(x.accountId(), x.roleName());
            d.compiledTrust = d.compiledTrust.with(r.arn(), d.compile(r.arn(), "trust", PolicyKind.TRUST, x.document()));
            d.putRole(new Role(r.accountId(), r.roleName(), r.path(), r.roleId(), r.createdAt(), x.document(),
                    r.maxSessionDurationSeconds(), r.description(), r.tags(), r.permissionsBoundary(),
                    r.attachedPolicies(), r.inlinePolicies(), r.lastUsed(), r.sessionsRevokedBefore()));
        } else if (c instanceof RecordRoleLastUsed x) {
            Role r = d.role(x.accountId(), x.roleName());
            d.putRole(new Role(r.accountId(), r.roleName(), r.path(), r.roleId(), r.createdAt(),
                    r.assumeRolePolicyDocument(), r.maxSessionDurationSeconds(), r.description(), r.tags(),
                    r.permissionsBoundary(), r.attachedPolicies(), r.inlinePolicies(),
                    Optional.of(new RoleLastUsed(x.at(), x.region())), r.sessionsRevokedBefore()));
        } else if (c instanceof RevokeRoleSessions x) {
            Role r = d.role(x.accountId(), x.roleName());
            var watermark = r.sessionsRevokedBefore().filter(t -> t.isAfter(x.issuedBefore())).orElse(x.issuedBefore());
            d.putRole(new Role(r.accountId(), r.roleName(), r.path(), r.roleId(), r.createdAt(),
                    r.assumeRolePolicyDocument(), r.maxSessionDurationSeconds(), r.description(), r.tags(),
                    r.permissionsBoundary(), r.attachedPolicies(), r.inlinePolicies(), r.lastUsed(),
                    Optional.of(watermark)));
        } else if (c instanceof TagEntity x) {
            List<Tag> tags = mergeTags(tagsOf(d, x.accountId(), x.kind(), x.name()), x.tags());
            Names.tags(tags);
            setTags(d, x.accountId(), x.kind(), x.name(), tags);
        } else if (c instanceof UntagEntity x) {
            List<Tag> tags = new ArrayList<>(tagsOf(d, x.accountId(), x.kind(), x.name()));
            tags.removeIf(t -> x.tagKeys().contains(t.key()));
            setTags(d, x.accountId(), x.kind(), x.name(), tags);
        } else if (c instanceof SetPermissionsBoundary x) {
            setBoundary(d, x);
        } else {
            return false;
        }
        return true;
    }

    /**
     * Renames and/or moves a user. Everything that names it follows: its ARN (so its access keys'
     * owner, its inline policies' compiled source and its principal-policy entry), while its id,
     * groups and attachments stay. Renaming to the user's own name in another case is allowed.
     *
     * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_manage.html#id_users_renaming">Renaming an IAM user</a>
     */
    private static void updateUser(Draft d, UpdateUser x) throws IamException {
        User u = d.user(x.accountId(), x.userName());
        String name = x.newUserName().orElse(u.userName());
        String path = x.newPath().orElse(u.path());
        Names.entityName("newUserName", name);
        pathOf("newPath", path);
        User other = d.users.get(IamView.key(x.accountId(), name));
        if (other != null && !other.userId().equals(u.userId())) {
            throw IamException.alreadyExists("User with name " + name + " already exists.");
        }
        if (name.equals(u.userName()) && path.equals(u.path())) {
            return; // nothing changes
        }
        User next = new User(u.accountId(), name, path, u.userId(), u.createdAt(), u.tags(), u.permissionsBoundary(),
                u.groups(), u.attachedPolicies(), u.inlinePolicies());
        String oldArn = u.arn();
        String newArn = next.arn();
        d.removeUser(u);
        for (InlinePolicy p : u.inlinePolicies().values()) {
            d.removeInline(oldArn, p.policyName());
            d.putInline(newArn, p, PolicyKind.INLINE_USER);
        }
        d.putUser(next);
        for (AccessKeyEntry e : d.accessKeys.values()) {
            AccessKey k = e.key();
            if (k.ownerArn().equals(oldArn)) {
                d.accessKeys = d.accessKeys.with(k.accessKeyId(), new AccessKeyEntry(new AccessKey(k.accessKeyId(),
                        k.accountId(), name, newArn, k.status(), k.createdAt(), k.sealedSecret(), k.lastUsed()),
                        e.secret(), e.servicePrincipal()));
            }
        }
    }

    /**
     * Renames and/or moves a group: its members' group lists name it anew, its inline policies'
     * compiled source follows its ARN, and its members' principal policies are recomputed.
     *
     * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_rename.html">Renaming an IAM group</a>
     */
    private static void updateGroup(Draft d, UpdateGroup x) throws IamException {
        Group g = d.group(x.accountId(), x.groupName());
        String name = x.newGroupName().orElse(g.groupName());
        String path = x.newPath().orElse(g.path());
        Names.entityName("newGroupName", name);
        pathOf("newPath", path);
        Group other = d.groups.get(IamView.key(x.accountId(), name));
        if (other != null && !other.groupId().equals(g.groupId())) {
            throw IamException.alreadyExists("Group with name " + name + " already exists.");
        }
        if (name.equals(g.groupName()) && path.equals(g.path())) {
            return;
        }
        Group next = new Group(g.accountId(), name, path, g.groupId(), g.createdAt(), g.attachedPolicies(),
                g.inlinePolicies());
        String oldArn = g.arn();
        String newArn = next.arn();
        d.groups = d.groups.without(IamView.key(g.accountId(), g.groupName()));
        for (InlinePolicy p : g.inlinePolicies().values()) {
            d.removeInline(oldArn, p.policyName());
            d.putInline(newArn, p, PolicyKind.INLINE_GROUP);
        }
        d.putGroup(next);
        List<User> members = new ArrayList<>();
        for (User u : d.users.values()) {
            if (u.accountId().equals(g.accountId())
                    && u.groups().stream().anyMatch(n -> n.equalsIgnoreCase(g.groupName()))) {
                members.add(u);
            }
        }
        for (User u : members) {
            d.putUser(withGroups(u, u.groups().stream()
                    .map(n -> n.equalsIgnoreCase(g.groupName()) ? name : n).toList()));
        }
    }

    /** {@link Names#path} naming the request's member in its message. */
    private static void pathOf(String member, String path) throws IamException {
        try {
            Names.path(path);
        } catch (IamException e) {
            throw new IamException(e.code(), e.getMessage().replace("'path'", "'" + member + "'"), e.httpStatus());
        }
    }

    private static void createRole(Draft d, CreateRole x) throws IamException {
        d.account(x.accountId());
        Names.entityName("roleName", x.roleName());
        Names.path(x.path());
        Names.tags(x.tags());
        Names.description(x.description());
        sessionDuration(x.maxSessionDurationSeconds());
        if (d.roles.get(IamView.key(x.accountId(), x.roleName())) != null) {
            throw IamException.alreadyExists("Role with name " + x.roleName() + " already exists.");
        }
        boundaryExists(d, x.permissionsBoundary());
        Role r = new Role(x.accountId(), x.roleName(), x.path(), x.roleId(), x.at(), x.assumeRolePolicyDocument(),
                x.maxSessionDurationSeconds(), x.description(), x.tags(), x.permissionsBoundary(), List.of(),
                Map.of(), Optional.empty(), Optional.empty());
        d.compiledTrust = d.compiledTrust.with(r.arn(),
                d.compile(r.arn(), "trust", PolicyKind.TRUST, x.assumeRolePolicyDocument()));
        d.putRole(r);
    }

    static void sessionDuration(int seconds) throws IamException {
        if (seconds < MIN_SESSION) {
            throw IamException.validation("1 validation error detected: Value '" + seconds
                    + "' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to "
                    + MIN_SESSION);
        }
        if (seconds > MAX_SESSION) {
            throw IamException.validation("1 validation error detected: Value '" + seconds
                    + "' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to "
                    + MAX_SESSION);
        }
    }

    private static void boundaryExists(Draft d, Optional<String> arn) throws IamException {
        if (arn.isPresent()) {
            d.policy(arn.get());
        }
    }

    private static User withGroups(User u, List<String> groups) {
        return new User(u.accountId(), u.userName(), u.path(), u.userId(), u.createdAt(), u.tags(),
                u.permissionsBoundary(), groups, u.attachedPolicies(), u.inlinePolicies());
    }

    private static List<Tag> tagsOf(Draft d, String accountId, dev.portcullis.state.model.PrincipalKind kind,
                                    String name) throws IamException {
        return switch (kind) {
            case USER -> d.user(accountId, name).tags();
            case ROLE -> d.role(accountId, name).tags();
            case GROUP -> throw IamException.invalidInput("Groups cannot be tagged.");
        };
    }

    private static List<Tag> mergeTags(List<Tag> current, List<Tag> added) {
        Map<String, Tag> byKey = new LinkedHashMap<>();
        for (Tag t : current) {
            byKey.put(t.key(), t);
        }
        for (Tag t : added) {
            byKey.put(t.key(), t);
        }
        return List.copyOf(byKey.values());
    }

    private static void setTags(Draft d, String accountId, dev.portcullis.state.model.PrincipalKind kind, String name,
                                List<Tag> tags) throws IamException {
        if (kind == dev.portcullis.state.model.PrincipalKind.USER) {
            User u = d.user(accountId, name);
            d.putUser(new User(u.accountId(), u.userName(), u.path(), u.userId(), u.createdAt(), tags,
                    u.permissionsBoundary(), u.groups(), u.attachedPolicies(), u.inlinePolicies()));
        } else {
            Role r = d.role(accountId, name);
            d.putRole(new Role(r.accountId(), r.roleName(), r.path(), r.roleId(), r.createdAt(),
                    r.assumeRolePolicyDocument(), r.maxSessionDurationSeconds(), r.description(), tags,
                    r.permissionsBoundary(), r.attachedPolicies(), r.inlinePolicies(), r.lastUsed(),
                    r.sessionsRevokedBefore()));
        }
    }

    private static void setBoundary(Draft d, SetPermissionsBoundary x) throws IamException {
        boundaryExists(d, x.policyArn());
        switch (x.kind()) {
            case USER -> {
                User u = d.user(x.accountId(), x.name());
                d.putUser(new User(u.accountId(), u.userName(), u.path(), u.userId(), u.createdAt(), u.tags(),
                        x.policyArn(), u.groups(), u.attachedPolicies(), u.inlinePolicies()));
            }
            case ROLE -> {
                Role r = d.role(x.accountId(), x.name());
                d.putRole(new Role(r.accountId(), r.roleName(), r.path(), r.roleId(), r.createdAt(),
                        r.assumeRolePolicyDocument(), r.maxSessionDurationSeconds(), r.description(), r.tags(),
                        x.policyArn(), r.attachedPolicies(), r.inlinePolicies(), r.lastUsed(),
                        r.sessionsRevokedBefore()));
            }
            case GROUP -> throw IamException.invalidInput("Groups cannot have a permissions boundary.");
        }
    }
}
