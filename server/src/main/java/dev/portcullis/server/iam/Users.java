package dev.portcullis.server.iam;

import dev.portcullis.core.policy.PrincipalType;
import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.Ids;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.Tag;
import dev.portcullis.state.model.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users: CreateUser … ListUserTags, and user permissions boundaries. */
final class Users {

    private Users() {
    }

    static void register(Map<String, Resolver> r) {
        r.put("CreateUser", Users::create);
        r.put("GetUser", Users::get);
        r.put("ListUsers", Users::list);
        r.put("UpdateUser", Users::update);
        r.put("DeleteUser", Users::delete);
        r.put("TagUser", Users::tag);
        r.put("UntagUser", Users::untag);
        r.put("ListUserTags", Users::listTags);
        r.put("PutUserPermissionsBoundary", Users::putBoundary);
        r.put("DeleteUserPermissionsBoundary", Users::deleteBoundary);
    }

    /** The user's ARN with its real path, or with path {@code /} when it does not exist (yet). */
    static String arn(Call c, String name) {
        return c.view().user(c.account(), name).map(User::arn).orElse(c.arn(PrincipalKind.USER, "/", name));
    }

    /** An operation on an existing user: its ARN and its tags as {@code aws:ResourceTag/…}. */
    static Operation on(Call c, String name, boolean write, Call.Body body) {
        Optional<User> u = c.view().user(c.account(), name);
        Operation op = write ? c.write(arn(c, name), body) : c.read(arn(c, name), body);
        return op.withResourceTags(u.map(x -> Call.tagMap(x.tags())).orElse(Map.of()));
    }

    static User require(Call c, dev.portcullis.state.view.IamView view, String name) throws IamException {
        return view.user(c.account(), name).orElseThrow(() -> IamException.noSuchEntity("user", name));
    }

    private static Operation create(Call c) {
        String name = c.entityName("UserName");
        String path = c.path("Path");
        List<Tag> tags = c.tags();
        Optional<String> boundary = c.optional("PermissionsBoundary").map(v -> c.policyArn("PermissionsBoundary"));
        Operation op = c.write(c.arn(PrincipalKind.USER, path, name), scope -> {
            var applied = c.state().apply(new Change.CreateUser(c.account(), name, path, Ids.userId(), tags, boundary,
                    Instant.now()));
            User u = require(c, applied.view(), name);
            return c.respond(scope, x -> {
                x.start("User");
                IamXml.user(x, u, true);
                x.end("User");
            });
        }).withRequestTags(Call.tagMap(tags));
        return boundary.map(b -> op.withContext(Map.of("iam:PermissionsBoundary", List.of(b)))).orElse(op);
    }

    private static Operation get(Call c) {
        Optional<String> name = c.optional("UserName");
        if (name.isPresent()) {
            String n = c.entityName("UserName");
            return on(c, n, false, scope -> {
                User u = require(c, scope.view(), n);
                return c.respond(scope, x -> {
                    x.start("User");
                    IamXml.user(x, u, true);
                    x.end("User");
                });
            });
        }
        // Without UserName: the calling user (root answers with the account's root user).
        if (c.caller().isRoot()) {
            return c.read(c.caller().arn(), scope -> c.respond(scope, x -> {
                x.start("User").element("UserId", c.account()).element("Arn", c.caller().arn());
                scope.view().account(c.account()).ifPresent(a -> x.element("CreateDate", a.createdAt()));
                x.end("User");
            }));
        }
        String self = callerUserName(c);
        return on(c, self, false, scope -> {
            User u = require(c, scope.view(), self);
            return c.respond(scope, x -> {
                x.start("User");
                IamXml.user(x, u, true);
                x.end("User");
            });
        });
    }

    /** The calling IAM user's name; other callers must name the user. */
    static String callerUserName(Call c) {
        if (c.caller().principal().type() != PrincipalType.USER) {
            throw new QueryException("ValidationError", "Must specify userName when calling with non-User credentials",
                    400);
        }
        return c.caller().principal().username();
    }

    private static Operation list(Call c) {
        String prefix = c.pathPrefix();
        Page.validate(c);
        return c.read("*", scope -> {
            List<User> users = scope.view().users(c.account()).stream().filter(u -> u.path().startsWith(prefix))
                    .toList();
            Page<User> page = Page.of(c, users, User::userName);
            return c.respond(scope, x -> {
                x.start("Users");
                for (User u : page.items()) {
                    x.start("member");
                    IamXml.user(x, u, false);
                    x.end("member");
                }
                x.end("Users");
                page.writeTail(x);
            });
        });
    }

    /**
     * UpdateUser: the model cannot rename a user or move it to another path yet (no such change in
     * the state's log), so a request that asks for either is refused rather than half-done.
     */
    private static Operation update(Call c) {
        String name = c.entityName("UserName");
        Optional<String> newName = c.optional("NewUserName");
        if (newName.isPresent()) {
            c.entityName("NewUserName");
        }
        Optional<String> newPath = c.optional("NewPath").map(p -> c.path("NewPath"));
        return on(c, name, true, scope -> {
            User u = require(c, scope.view(), name);
            boolean rename = newName.isPresent() && !newName.get().equals(u.userName());
            boolean move = newPath.isPresent() && !newPath.get().equals(u.path());
            if (rename || move) {
                throw new QueryException("NotImplemented",
                        "UpdateUser cannot change a user's name or path in this version of Portcullis", 501);
            }
            return c.empty(scope);
        });
    }

    private static Operation delete(Call c) {
        String name = c.entityName("UserName");
        return on(c, name, true, scope -> {
            c.state().apply(new Change.DeleteUser(c.account(), name));
            return c.empty(scope);
        });
    }

    private static Operation tag(Call c) {
        String name = c.entityName("UserName");
        List<Tag> tags = c.tags();
        if (tags.isEmpty()) {
            throw QueryException.missing("Tags");
        }
        return on(c, name, true, scope -> {
            c.state().apply(new Change.TagEntity(c.account(), PrincipalKind.USER, name, tags));
            return c.empty(scope);
        }).withRequestTags(Call.tagMap(tags));
    }

    private static Operation untag(Call c) {
        String name = c.entityName("UserName");
        List<String> keys = tagKeys(c);
        return on(c, name, true, scope -> {
            c.state().apply(new Change.UntagEntity(c.account(), PrincipalKind.USER, name, keys));
            return c.empty(scope);
        }).withContext(Map.of("aws:TagKeys", keys));
    }

    static List<String> tagKeys(Call c) {
        List<String> keys = c.params().list("TagKeys");
        if (keys.isEmpty()) {
            throw QueryException.missing("TagKeys");
        }
        if (keys.size() > 50) {
            throw QueryException.invalid("TagKeys", String.valueOf(keys), "Member must have length less than or equal to 50");
        }
        return keys;
    }

    private static Operation listTags(Call c) {
        String name = c.entityName("UserName");
        Page.validate(c);
        return on(c, name, false, scope -> {
            User u = require(c, scope.view(), name);
            Page<Tag> page = Page.of(c, sortedTags(u.tags()), Tag::key);
            return c.respond(scope, x -> {
                IamXml.tagList(x, page.items());
                page.writeTail(x);
            });
        });
    }

    static List<Tag> sortedTags(List<Tag> tags) {
        return tags.stream().sorted(java.util.Comparator.comparing(t -> t.key().toLowerCase(java.util.Locale.ROOT)))
                .toList();
    }

    private static Operation putBoundary(Call c) {
        String name = c.entityName("UserName");
        String boundary = c.policyArn("PermissionsBoundary");
        return on(c, name, true, scope -> {
            c.state().apply(new Change.SetPermissionsBoundary(c.account(), PrincipalKind.USER, name,
                    Optional.of(boundary)));
            return c.empty(scope);
        }).withContext(Map.of("iam:PermissionsBoundary", List.of(boundary)));
    }

    private static Operation deleteBoundary(Call c) {
        String name = c.entityName("UserName");
        Optional<String> current = c.view().user(c.account(), name).flatMap(User::permissionsBoundary);
        Operation op = on(c, name, true, scope -> {
            c.state().apply(new Change.SetPermissionsBoundary(c.account(), PrincipalKind.USER, name, Optional.empty()));
            return c.empty(scope);
        });
        return current.map(b -> op.withContext(Map.of("iam:PermissionsBoundary", List.of(b)))).orElse(op);
    }
}
