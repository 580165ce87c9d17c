package dev.portcullis.state.view;

import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.change.Change.*;
import dev.portcullis.state.model.Group;
import dev.portcullis.state.model.InlinePolicy;
import dev.portcullis.state.model.ManagedPolicy;
import dev.portcullis.state.model.Names;
import dev.portcullis.state.model.PolicyVersion;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.model.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Managed policies and their versions, attachments, inline policies. */
final class PolicyRules {
    static final int VERSIONS_PER_POLICY = 5;
    static final int ATTACHED_PER_ENTITY = 10;

    private PolicyRules() {
    }

    static boolean apply(Draft d, Change c) throws IamException {
        if (c instanceof CreatePolicy x) {
            d.account(x.accountId());
            Names.policyName("policyName", x.policyName());
            Names.path(x.path());
            Names.description(x.description());
            if (d.policyArnsByName.get(IamView.key(x.accountId(), x.policyName())) != null) {
                throw IamException.alreadyExists("A policy called " + x.policyName()
                        + " already exists. Duplicate names are not allowed.");
            }
            ManagedPolicy p = new ManagedPolicy(x.accountId(), x.policyName(), x.path(), x.policyId(), x.description(),
                    x.at(), x.at(), List.of(new PolicyVersion("v1", x.document(), x.at())), "v1", 2, 0);
            d.putPolicy(p);
            d.defaultVersionChanged(p);
        } else if (c instanceof DeletePolicy x) {
            ManagedPolicy p = d.policy(x.policyArn());
            if (p.attachmentCount() > 0 || usedAsBoundary(d, p.arn())) {
                throw IamException.deleteConflict("Cannot delete a policy attached to entities.");
            }
            if (p.versions().size() > 1) {
                throw IamException.deleteConflict("This policy has more than one version. Before you delete a policy,"
                        + " you must delete the policy's versions. The default version is deleted with the policy.");
            }
            d.policies = d.policies.without(p.arn());
            d.policyArnsByName = d.policyArnsByName.without(IamView.key(p.accountId(), p.policyName()));
            d.compiledManaged = d.compiledManaged.without(p.arn());
        } else if (c instanceof CreatePolicyVersion x) {
            ManagedPolicy p = d.policy(x.policyArn());
            if (p.versions().size() >= VERSIONS_PER_POLICY) {
                throw IamException.limitExceeded("A managed policy can have up to " + VERSIONS_PER_POLICY
                        + " versions. Before you create a new version, you must delete an existing version.");
            }
            String id = "v" + p.nextVersion();
            List<PolicyVersion> versions = new ArrayList<>(p.versions());
            versions.add(new PolicyVersion(id, x.document(), x.at()));
            if (!x.setAsDefault()) {
                d.compiler.compile(x.document(), PolicyKind.MANAGED); // validate even when not default
            }
            ManagedPolicy next = new ManagedPolicy(p.accountId(), p.policyName(), p.path(), p.policyId(),
                    p.description(), p.createdAt(), x.at(), versions, x.setAsDefault() ? id : p.defaultVersionId(),
                    p.nextVersion() + 1, p.attachmentCount());
            d.putPolicy(next);
            if (x.setAsDefault()) {
                d.defaultVersionChanged(next);
            }
        } else if (c instanceof DeletePolicyVersion x) {
            ManagedPolicy p = d.policy(x.policyArn());
            version(p, x.versionId());
            if (p.defaultVersionId().equals(x.versionId())) {
                throw IamException.deleteConflict("Cannot delete the default version of a policy.");
            }
            List<PolicyVersion> versions = new ArrayList<>(p.versions());
            versions.removeIf(v -> v.versionId().equals(x.versionId()));
            d.putPolicy(new ManagedPolicy(p.accountId(), p.policyName(), p.path(), p.policyId(), p.description(),
                    p.createdAt(), p.updatedAt(), versions, p.defaultVersionId(), p.nextVersion(), p.attachmentCount()));
        } else if (c instanceof SetDefaultPolicyVersion x) {
            ManagedPolicy p = d.policy(x.policyArn());
            version(p, x.versionId());
            ManagedPolicy next = new ManagedPolicy(p.accountId(), p.policyName(), p.path(), p.policyId(),
                    p.description(), p.createdAt(), x.at(), p.versions(), x.versionId(), p.nextVersion(),
                    p.attachmentCount());
            d.putPolicy(next);
            d.defaultVersionChanged(next);
        } else if (c instanceof AttachPolicy x) {
            attach(d, x.accountId(), x.kind(), x.name(), x.policyArn(), true);
        } else if (c instanceof DetachPolicy x) {
            attach(d, x.accountId(), x.kind(), x.name(), x.policyArn(), false);
        } else if (c instanceof PutInlinePolicy x) {
            Names.policyName("policyName", x.policyName());
            putInline(d, x.accountId(), x.kind(), x.name(), new InlinePolicy(x.policyName(), x.document()), null);
        } else if (c instanceof DeleteInlinePolicy x) {
            putInline(d, x.accountId(), x.kind(), x.name(), null, x.policyName());
        } else {
            return false;
        }
        return true;
    }

    private static PolicyVersion version(ManagedPolicy p, String versionId) throws IamException {
        for (PolicyVersion v : p.versions()) {
            if (v.versionId().equals(versionId)) {
                return v;
            }
        }
        throw IamException.noSuchEntity("Policy " + p.arn() + " version " + versionId
                + " does not exist or is not attachable.");
    }

    private static boolean usedAsBoundary(Draft d, String arn) {
        for (User u : d.users.values()) {
            if (u.permissionsBoundary().map(arn::equals).orElse(false)) {
                return true;
            }
        }
        for (Role r : d.roles.values()) {
            if (r.permissionsBoundary().map(arn::equals).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static void attach(Draft d, String accountId, PrincipalKind kind, String name, String policyArn,
                               boolean attach) throws IamException {
        List<String> current = d.attached(accountId, kind, name);
        ManagedPolicy p = d.policy(policyArn);
        List<String> next = new ArrayList<>(current);
        if (attach) {
            if (current.contains(policyArn)) {
                return; // attaching twice succeeds and changes nothing
            }
            if (current.size() >= ATTACHED_PER_ENTITY) {
                String quota = switch (kind) {
                    case USER -> "PoliciesPerUser";
                    case ROLE -> "PoliciesPerRole";
                    case GROUP -> "PoliciesPerGroup";
                };
                throw IamException.limitExceeded("Cannot exceed quota for " + quota + ": " + ATTACHED_PER_ENTITY);
            }
            next.add(policyArn);
        } else if (!next.remove(policyArn)) {
            throw IamException.noSuchEntity("Policy " + policyArn + " was not found.");
        }
        int count = p.attachmentCount() + (attach ? 1 : -1);
        d.putPolicy(new ManagedPolicy(p.accountId(), p.policyName(), p.path(), p.policyId(), p.description(),
                p.createdAt(), p.updatedAt(), p.versions(), p.defaultVersionId(), p.nextVersion(), count));
        switch (kind) {
            case USER -> {
                User u = d.user(accountId, name);
                d.putUser(new User(u.accountId(), u.userName(), u.path(), u.userId(), u.createdAt(), u.tags(),
                        u.permissionsBoundary(), u.groups(), next, u.inlinePolicies()));
            }
            case ROLE -> {
                Role r = d.role(accountId, name);
                d.putRole(withPolicies(r, next, r.inlinePolicies()));
            }
            case GROUP -> {
                Group g = d.group(accountId, name);
                d.putGroup(new Group(g.accountId(), g.groupName(), g.path(), g.groupId(), g.createdAt(), next,
                        g.inlinePolicies()));
            }
        }
    }

    /** Puts {@code policy}, or when it is null deletes {@code deleteName}. */
    private static void putInline(Draft d, String accountId, PrincipalKind kind, String name, InlinePolicy policy,
                                  String deleteName) throws IamException {
        switch (kind) {
            case USER -> {
                User u = d.user(accountId, name);
                Map<String, InlinePolicy> m = edit(d, u.arn(), u.inlinePolicies(), policy, deleteName, kind,
                        PolicyKind.INLINE_USER);
                d.putUser(new User(u.accountId(), u.userName(), u.path(), u.userId(), u.createdAt(), u.tags(),
                        u.permissionsBoundary(), u.groups(), u.attachedPolicies(), m));
            }
            case ROLE -> {
                Role r = d.role(accountId, name);
                Map<String, InlinePolicy> m = edit(d, r.arn(), r.inlinePolicies(), policy, deleteName, kind,
                        PolicyKind.INLINE_ROLE);
                d.putRole(withPolicies(r, r.attachedPolicies(), m));
            }
            case GROUP -> {
                Group g = d.group(accountId, name);
                Map<String, InlinePolicy> m = edit(d, g.arn(), g.inlinePolicies(), policy, deleteName, kind,
                        PolicyKind.INLINE_GROUP);
                d.putGroup(new Group(g.accountId(), g.groupName(), g.path(), g.groupId(), g.createdAt(),
                        g.attachedPolicies(), m));
            }
        }
    }

    private static Map<String, InlinePolicy> edit(Draft d, String ownerArn, Map<String, InlinePolicy> current,
                                                  InlinePolicy policy, String deleteName, PrincipalKind kind,
                                                  PolicyKind use) throws IamException {
        Map<String, InlinePolicy> m = new HashMap<>(current);
        if (policy != null) {
            d.putInline(ownerArn, policy, use);
            m.keySet().removeIf(k -> k.equalsIgnoreCase(policy.policyName()));
            m.put(policy.policyName(), policy);
        } else {
            String found = m.keySet().stream().filter(k -> k.equalsIgnoreCase(deleteName)).findFirst()
                    .orElseThrow(() -> IamException.noSuchEntity("The " + kind.word() + " policy with name "
                            + deleteName + " cannot be found."));
            m.remove(found);
            d.removeInline(ownerArn, found);
        }
        return m;
    }

    private static Role withPolicies(Role r, List<String> attached, Map<String, InlinePolicy> inline) {
        return new Role(r.accountId(), r.roleName(), r.path(), r.roleId(), r.createdAt(), r.assumeRolePolicyDocument(),
                r.maxSessionDurationSeconds(), r.description(), r.tags(), r.permissionsBoundary(), attached, inline,
                r.lastUsed(), r.sessionsRevokedBefore());
    }
}
