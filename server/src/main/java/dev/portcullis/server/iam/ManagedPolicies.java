package dev.portcullis.server.iam;

import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.server.pipeline.RequestScope;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.Group;
import dev.portcullis.state.model.Ids;
import dev.portcullis.state.model.ManagedPolicy;
import dev.portcullis.state.model.PolicyVersion;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.model.User;
import dev.portcullis.state.view.IamView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Customer managed policies, their versions and attachments. */
final class ManagedPolicies {

    private static final Pattern VERSION_ID = Pattern.compile("v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");

    private ManagedPolicies() {
    }

    static void register(Map<String, Resolver> r) {
        r.put("CreatePolicy", ManagedPolicies::create);
        r.put("GetPolicy", ManagedPolicies::get);
        r.put("DeletePolicy", ManagedPolicies::delete);
        r.put("ListPolicies", ManagedPolicies::list);
        r.put("CreatePolicyVersion", ManagedPolicies::createVersion);
        r.put("GetPolicyVersion", ManagedPolicies::getVersion);
        r.put("ListPolicyVersions", ManagedPolicies::listVersions);
        r.put("DeletePolicyVersion", ManagedPolicies::deleteVersion);
        r.put("SetDefaultPolicyVersion", ManagedPolicies::setDefault);
        r.put("ListEntitiesForPolicy", ManagedPolicies::entities);
        for (PrincipalKind kind : PrincipalKind.values()) {
            String entity = InlinePolicies.entity(kind);
            r.put("Attach" + entity + "Policy", c -> attach(c, kind, true));
            r.put("Detach" + entity + "Policy", c -> attach(c, kind, false));
            r.put("ListAttached" + entity + "Policies", c -> listAttached(c, kind));
        }
    }

    /** The policy, when it exists in the caller's account (other accounts' policies do not exist for it). */
    static ManagedPolicy require(Call c, IamView view, String arn) throws IamException {
        return view.managedPolicy(arn).filter(p -> p.accountId().equals(c.account()))
                .orElseThrow(() -> IamException.noSuchEntity("Policy " + arn + " does not exist or is not attachable."));
    }

    private static String versionId(Call c) {
        String v = c.required("VersionId");
        if (!VERSION_ID.matcher(v).matches()) {
            throw QueryException.invalid("VersionId", v,
                    "Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");
        }
        return v;
    }

    private static String policyXml(Call c, RequestScope scope, ManagedPolicy p, IamView view, boolean description) {
        return c.respond(scope, x -> {
            x.start("Policy");
            IamXml.policy(x, p, view, description);
            x.end("Policy");
        });
    }

    private static Operation create(Call c) {
        String name = c.policyName("PolicyName");
        String path = c.path("Path");
        String document = c.document("PolicyDocument");
        String description = c.description().orElse("");
        if (!c.params().structures("Tags").isEmpty()) {
            // The model keeps no tags on managed policies; refusing beats silently dropping them.
            throw new QueryException("InvalidInput", "Tags on managed policies are not supported by Portcullis", 400);
        }
        return c.write(dev.portcullis.state.model.Names.arn(c.account(), "policy", path, name), scope -> {
            Call.validatePolicy(document, PolicyKind.MANAGED);
            var applied = c.state().apply(new Change.CreatePolicy(c.account(), name, path, Ids.policyId(), description,
                    document, Instant.now()));
            String arn = dev.portcullis.state.model.Names.arn(c.account(), "policy", path, name);
            return policyXml(c, scope, require(c, applied.view(), arn), applied.view(), false);
        });
    }

    private static Operation get(Call c) {
        String arn = c.policyArn("PolicyArn");
        return c.read(arn, scope -> policyXml(c, scope, require(c, scope.view(), arn), scope.view(), true));
    }

    private static Operation delete(Call c) {
        String arn = c.policyArn("PolicyArn");
        return c.write(arn, scope -> {
            require(c, scope.view(), arn);
            c.state().apply(new Change.DeletePolicy(arn));
            return c.empty(scope);
        });
    }

    private static Operation list(Call c) {
        String scopeFilter = c.optional("Scope").orElse("All");
        if (!List.of("All", "AWS", "Local").contains(scopeFilter)) {
            throw QueryException.invalid("Scope", scopeFilter, "Member must satisfy enum value set: [All, AWS, Local]");
        }
        boolean onlyAttached = c.params().bool("OnlyAttached").orElse(false);
        String prefix = c.pathPrefix();
        Optional<String> usage = c.optional("PolicyUsageFilter");
        usage.ifPresent(u -> {
            if (!List.of("PermissionsPolicy", "PermissionsBoundary").contains(u)) {
                throw QueryException.invalid("PolicyUsageFilter", u,
                        "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]");
            }
        });
        Page.validate(c);
        return c.read("*", scope -> {
            IamView view = scope.view();
            // Portcullis has no AWS managed policies: Scope=AWS lists nothing.
            List<ManagedPolicy> policies = scopeFilter.equals("AWS") ? List.of()
                    : view.managedPolicies(c.account()).stream()
                    .filter(p -> p.path().startsWith(prefix))
                    .filter(p -> !onlyAttached || p.attachmentCount() > 0 || IamXml.boundaryUsage(view, p) > 0)
                    .filter(p -> usage.isEmpty() || (usage.get().equals("PermissionsPolicy")
                            ? p.attachmentCount() > 0 : IamXml.boundaryUsage(view, p) > 0))
                    .toList();
            Page<ManagedPolicy> page = Page.of(c, policies, ManagedPolicy::policyName);
            return c.respond(scope, x -> {
                x.start("Policies");
                for (ManagedPolicy p : page.items()) {
                    x.start("member");
                    IamXml.policy(x, p, view, false);
                    x.end("member");
                }
                x.end("Policies");
                page.writeTail(x);
            });
        });
    }

    private static Operation createVersion(Call c) {
        String arn = c.policyArn("PolicyArn");
        String document = c.document("PolicyDocument");
        boolean setAsDefault = c.params().bool("SetAsDefault").orElse(false);
        return c.write(arn, scope -> {
            require(c, scope.view(), arn);
            Call.validatePolicy(document, PolicyKind.MANAGED);
            var applied = c.state().apply(new Change.CreatePolicyVersion(arn, document, setAsDefault, Instant.now()));
            ManagedPolicy p = require(c, applied.view(), arn);
            PolicyVersion v = p.versions().get(p.versions().size() - 1);
            return c.respond(scope, x -> {
                x.start("PolicyVersion");
                IamXml.version(x, p, v, false);
                x.end("PolicyVersion");
            });
        });
    }

    private static Operation getVersion(Call c) {
        String arn = c.policyArn("PolicyArn");
        String versionId = versionId(c);
        return c.read(arn, scope -> {
            ManagedPolicy p = require(c, scope.view(), arn);
            PolicyVersion v = p.versions().stream().filter(x -> x.versionId().equals(versionId)).findFirst()
                    .orElseThrow(() -> IamException.noSuchEntity("Policy " + arn + " version " + versionId
                            + " does not exist or is not attachable."));
            return c.respond(scope, x -> {
                x.start("PolicyVersion");
                IamXml.version(x, p, v, true);
                x.end("PolicyVersion");
            });
        });
    }

    private static Operation listVersions(Call c) {
        String arn = c.policyArn("PolicyArn");
        Page.validate(c);
        return c.read(arn, scope -> {
            ManagedPolicy p = require(c, scope.view(), arn);
            // Newest first, as IAM lists them; the marker keys on a zero-padded version number.
            List<PolicyVersion> versions = new ArrayList<>(p.versions());
            versions.sort(Comparator.comparing(ManagedPolicies::versionKey));
            Page<PolicyVersion> page = Page.of(c, versions, ManagedPolicies::versionKey);
            return c.respond(scope, x -> {
                x.start("Versions");
                for (PolicyVersion v : page.items()) {
                    x.start("member");
                    IamXml.version(x, p, v, false);
                    x.end("member");
                }
                x.end("Versions");
                page.writeTail(x);
            });
        });
    }

    /** Orders versions newest first: {@code 999999999 - n}, zero-padded, sorts like the numbers reversed. */
    private static String versionKey(PolicyVersion v) {
        String digits = v.versionId().substring(1).split("\\.")[0];
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            n = 0;
        }
        return String.format(Locale.ROOT, "%010d", 9_999_999_999L - n);
    }

    private static Operation deleteVersion(Call c) {
        String arn = c.policyArn("PolicyArn");
        String versionId = versionId(c);
        return c.write(arn, scope -> {
            require(c, scope.view(), arn);
            c.state().apply(new Change.DeletePolicyVersion(arn, versionId));
            return c.empty(scope);
        });
    }

    private static Operation setDefault(Call c) {
        String arn = c.policyArn("PolicyArn");
        String versionId = versionId(c);
        return c.write(arn, scope -> {
            require(c, scope.view(), arn);
            c.state().apply(new Change.SetDefaultPolicyVersion(arn, versionId, Instant.now()));
            return c.empty(scope);
        });
    }

    private static Operation attach(Call c, PrincipalKind kind, boolean attach) {
        String name = c.entityName(InlinePolicies.entity(kind) + "Name");
        String arn = c.policyArn("PolicyArn");
        return InlinePolicies.on(c, kind, name, true, scope -> {
            require(c, scope.view(), arn);
            c.state().apply(attach ? new Change.AttachPolicy(c.account(), kind, name, arn)
                    : new Change.DetachPolicy(c.account(), kind, name, arn));
            return c.empty(scope);
        }).withContext(Map.of("iam:PolicyARN", List.of(arn)));
    }

    private static Operation listAttached(Call c, PrincipalKind kind) {
        String name = c.entityName(InlinePolicies.entity(kind) + "Name");
        String prefix = c.pathPrefix();
        Page.validate(c);
        return InlinePolicies.on(c, kind, name, false, scope -> {
            IamView view = scope.view();
            List<String> arns = switch (kind) {
                case USER -> Users.require(c, view, name).attachedPolicies();
                case ROLE -> Roles.require(c, view, name).attachedPolicies();
                case GROUP -> Groups.require(c, view, name).attachedPolicies();
            };
            List<String> shown = arns.stream()
                    .filter(a -> view.managedPolicy(a).map(p -> p.path().startsWith(prefix)).orElse(true))
                    .sorted(Comparator.comparing(a -> a.substring(a.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT)))
                    .toList();
            Page<String> page = Page.of(c, shown, a -> a.substring(a.lastIndexOf('/') + 1));
            return c.respond(scope, x -> {
                IamXml.attached(x, "AttachedPolicies", page.items());
                page.writeTail(x);
            });
        });
    }

    /** ListEntitiesForPolicy: the users, groups and roles the policy is attached to (or bounds). */
    private static Operation entities(Call c) {
        String arn = c.policyArn("PolicyArn");
        Optional<String> filter = c.optional("EntityFilter");
        filter.ifPresent(f -> {
            if (!List.of("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy").contains(f)) {
                throw QueryException.invalid("EntityFilter", f,
                        "Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]");
            }
        });
        String prefix = c.pathPrefix();
        boolean boundary = c.optional("PolicyUsageFilter").map(u -> {
            if (!List.of("PermissionsPolicy", "PermissionsBoundary").contains(u)) {
                throw QueryException.invalid("PolicyUsageFilter", u,
                        "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]");
            }
            return u.equals("PermissionsBoundary");
        }).orElse(false);
        Page.validate(c);
        return c.read(arn, scope -> {
            IamView view = scope.view();
            require(c, view, arn);
            boolean users = filter.map(f -> f.equals("User")).orElse(true);
            boolean roles = filter.map(f -> f.equals("Role")).orElse(true);
            boolean groups = filter.map(f -> f.equals("Group")).orElse(true) && !boundary;
            List<User> us = !users ? List.of() : view.users(c.account()).stream()
                    .filter(u -> u.path().startsWith(prefix))
                    .filter(u -> boundary ? u.permissionsBoundary().map(arn::equals).orElse(false)
                            : u.attachedPolicies().contains(arn)).toList();
            List<Role> rs = !roles ? List.of() : view.roles(c.account()).stream()
                    .filter(r -> r.path().startsWith(prefix))
                    .filter(r -> boundary ? r.permissionsBoundary().map(arn::equals).orElse(false)
                            : r.attachedPolicies().contains(arn)).toList();
            List<Group> gs = !groups ? List.of() : view.groups(c.account()).stream()
                    .filter(g -> g.path().startsWith(prefix)).filter(g -> g.attachedPolicies().contains(arn)).toList();
            // One page over the three lists in a fixed order (groups, users, roles), keyed by kind and name.
            List<String[]> all = new ArrayList<>();
            gs.forEach(g -> all.add(new String[] {"0group", g.groupName(), g.groupId()}));
            us.forEach(u -> all.add(new String[] {"1user", u.userName(), u.userId()}));
            rs.forEach(r -> all.add(new String[] {"2role", r.roleName(), r.roleId()}));
            Page<String[]> page = Page.of(c, all, e -> e[0] + "/" + e[1].toLowerCase(Locale.ROOT));
            return c.respond(scope, x -> {
                writeEntities(x, page.items(), "0group", "PolicyGroups", "GroupName", "GroupId");
                writeEntities(x, page.items(), "1user", "PolicyUsers", "UserName", "UserId");
                writeEntities(x, page.items(), "2role", "PolicyRoles", "RoleName", "RoleId");
                page.writeTail(x);
            });
        });
    }

    private static void writeEntities(dev.portcullis.server.query.QueryXml x, List<String[]> items, String kind,
                                      String list, String nameElement, String idElement) {
        x.start(list);
        for (String[] e : items) {
            if (e[0].equals(kind)) {
                x.start("member").element(nameElement, e[1]).element(idElement, e[2]).end("member");
            }
        }
        x.end(list);
    }
}
