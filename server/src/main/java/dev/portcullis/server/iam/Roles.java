package dev.portcullis.server.iam;

import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.Ids;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.model.Tag;
import dev.portcullis.state.view.IamView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Roles: CreateRole … ListRoleTags, trust policies, role permissions boundaries. */
final class Roles {

    static final int MIN_SESSION = 3600;
    static final int MAX_SESSION = 43200;

    private Roles() {
    }

    static void register(Map<String, Resolver> r) {
        r.put("CreateRole", Roles::create);
        r.put("GetRole", Roles::get);
        r.put("ListRoles", Roles::list);
        r.put("UpdateRole", Roles::update);
        r.put("UpdateRoleDescription", Roles::updateDescription);
        r.put("UpdateAssumeRolePolicy", Roles::updateTrust);
        r.put("DeleteRole", Roles::delete);
        r.put("TagRole", Roles::tag);
        r.put("UntagRole", Roles::untag);
        r.put("ListRoleTags", Roles::listTags);
        r.put("PutRolePermissionsBoundary", Roles::putBoundary);
        r.put("DeleteRolePermissionsBoundary", Roles::deleteBoundary);
    }

    static String arn(Call c, String name) {
        return c.view().role(c.account(), name).map(Role::arn).orElse(c.arn(PrincipalKind.ROLE, "/", name));
    }

    static Operation on(Call c, String name, boolean write, Call.Body body) {
        Optional<Role> r = c.view().role(c.account(), name);
        Operation op = write ? c.write(arn(c, name), body) : c.read(arn(c, name), body);
        return op.withResourceTags(r.map(x -> Call.tagMap(x.tags())).orElse(Map.of()));
    }

    static Role require(Call c, IamView view, String name) throws IamException {
        return view.role(c.account(), name).orElseThrow(() -> IamException.noSuchEntity("role", name));
    }

    private static Optional<Integer> maxSession(Call c) {
        Optional<String> raw = c.optional("MaxSessionDuration");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        int value;
        try {
            value = Integer.parseInt(raw.get().trim());
        } catch (NumberFormatException e) {
            throw QueryException.invalid("MaxSessionDuration", raw.get(), "Member must be a number");
        }
        if (value < MIN_SESSION) {
            throw QueryException.invalid("MaxSessionDuration", raw.get(),
                    "Member must have value greater than or equal to " + MIN_SESSION);
        }
        if (value > MAX_SESSION) {
            throw QueryException.invalid("MaxSessionDuration", raw.get(),
                    "Member must have value less than or equal to " + MAX_SESSION);
        }
        return Optional.of(value);
    }

    private static String respondRole(Call c, dev.portcullis.server.pipeline.RequestScope scope, Role r) {
        return c.respond(scope, x -> {
            x.start("Role");
            IamXml.role(x, r, true);
            x.end("Role");
        });
    }

    private static Operation create(Call c) {
        String name = c.entityName("RoleName");
        String path = c.path("Path");
        String trust = c.document("AssumeRolePolicyDocument");
        String description = c.description().orElse("");
        int maxSession = maxSession(c).orElse(MIN_SESSION);
        List<Tag> tags = c.tags();
        Optional<String> boundary = c.optional("PermissionsBoundary").map(v -> c.policyArn("PermissionsBoundary"));
        Operation op = c.write(c.arn(PrincipalKind.ROLE, path, name), scope -> {
            Call.validatePolicy(trust, PolicyKind.TRUST);
            var applied = c.state().apply(new Change.CreateRole(c.account(), name, path, Ids.roleId(), trust, maxSession,
                    description, tags, boundary, Instant.now()));
            return respondRole(c, scope, require(c, applied.view(), name));
        }).withRequestTags(Call.tagMap(tags));
        return boundary.map(b -> op.withContext(Map.of("iam:PermissionsBoundary", List.of(b)))).orElse(op);
    }

    private static Operation get(Call c) {
        String name = c.entityName("RoleName");
        return on(c, name, false, scope -> respondRole(c, scope, require(c, scope.view(), name)));
    }

    private static Operation list(Call c) {
        String prefix = c.pathPrefix();
        Page.validate(c);
        return c.read("*", scope -> {
            List<Role> roles = scope.view().roles(c.account()).stream().filter(r -> r.path().startsWith(prefix))
                    .toList();
            Page<Role> page = Page.of(c, roles, Role::roleName);
            return c.respond(scope, x -> {
                x.start("Roles");
                for (Role r : page.items()) {
                    x.start("member");
                    IamXml.role(x, r, false);
                    x.end("member");
                }
                x.end("Roles");
                page.writeTail(x);
            });
        });
    }

    private static Operation update(Call c) {
        String name = c.entityName("RoleName");
        Optional<String> description = c.description();
        Optional<Integer> maxSession = maxSession(c);
        return on(c, name, true, scope -> {
            c.state().apply(new Change.UpdateRole(c.account(), name, maxSession, description));
            return c.empty(scope);
        });
    }

    private static Operation updateDescription(Call c) {
        String name = c.entityName("RoleName");
        c.required("Description");
        Optional<String> description = c.description();
        return on(c, name, true, scope -> {
            var applied = c.state().apply(new Change.UpdateRole(c.account(), name, Optional.empty(), description));
            return respondRole(c, scope, require(c, applied.view(), name));
        });
    }

    private static Operation updateTrust(Call c) {
        String name = c.entityName("RoleName");
        String document = c.document("PolicyDocument");
        return on(c, name, true, scope -> {
            Call.validatePolicy(document, PolicyKind.TRUST);
            c.state().apply(new Change.UpdateAssumeRolePolicy(c.account(), name, document));
            return c.empty(scope);
        });
    }

    private static Operation delete(Call c) {
        String name = c.entityName("RoleName");
        return on(c, name, true, scope -> {
            c.state().apply(new Change.DeleteRole(c.account(), name));
            return c.empty(scope);
        });
    }

    private static Operation tag(Call c) {
        String name = c.entityName("RoleName");
        List<Tag> tags = c.tags();
        if (tags.isEmpty()) {
            throw QueryException.missing("Tags");
        }
        return on(c, name, true, scope -> {
            c.state().apply(new Change.TagEntity(c.account(), PrincipalKind.ROLE, name, tags));
            return c.empty(scope);
        }).withRequestTags(Call.tagMap(tags));
    }

    private static Operation untag(Call c) {
        String name = c.entityName("RoleName");
        List<String> keys = Users.tagKeys(c);
        return on(c, name, true, scope -> {
            c.state().apply(new Change.UntagEntity(c.account(), PrincipalKind.ROLE, name, keys));
            return c.empty(scope);
        }).withContext(Map.of("aws:TagKeys", keys));
    }

    private static Operation listTags(Call c) {
        String name = c.entityName("RoleName");
        Page.validate(c);
        return on(c, name, false, scope -> {
            Role r = require(c, scope.view(), name);
            Page<Tag> page = Page.of(c, Users.sortedTags(r.tags()), Tag::key);
            return c.respond(scope, x -> {
                IamXml.tagList(x, page.items());
                page.writeTail(x);
            });
        });
    }

    private static Operation putBoundary(Call c) {
        String name = c.entityName("RoleName");
        String boundary = c.policyArn("PermissionsBoundary");
        return on(c, name, true, scope -> {
            c.state().apply(new Change.SetPermissionsBoundary(c.account(), PrincipalKind.ROLE, name,
                    Optional.of(boundary)));
            return c.empty(scope);
        }).withContext(Map.of("iam:PermissionsBoundary", List.of(boundary)));
    }

    private static Operation deleteBoundary(Call c) {
        String name = c.entityName("RoleName");
        Optional<String> current = c.view().role(c.account(), name).flatMap(Role::permissionsBoundary);
        Operation op = on(c, name, true, scope -> {
            c.state().apply(new Change.SetPermissionsBoundary(c.account(), PrincipalKind.ROLE, name, Optional.empty()));
            return c.empty(scope);
        });
        return current.map(b -> op.withContext(Map.of("iam:PermissionsBoundary", List.of(b)))).orElse(op);
    }
}
