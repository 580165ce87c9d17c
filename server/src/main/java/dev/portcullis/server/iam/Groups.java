package dev.portcullis.server.iam;

import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.Group;
import dev.portcullis.state.model.Ids;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.User;
import dev.portcullis.state.view.IamView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Groups and membership: CreateGroup … ListGroupsForUser. */
final class Groups {

    private Groups() {
    }

    static void register(Map<String, Resolver> r) {
        r.put("CreateGroup", Groups::create);
        r.put("GetGroup", Groups::get);
        r.put("ListGroups", Groups::list);
        r.put("DeleteGroup", Groups::delete);
        r.put("AddUserToGroup", Groups::addUser);
        r.put("RemoveUserFromGroup", Groups::removeUser);
        r.put("ListGroupsForUser", Groups::listForUser);
    }

    static String arn(Call c, String name) {
        return c.view().group(c.account(), name).map(Group::arn).orElse(c.arn(PrincipalKind.GROUP, "/", name));
    }

    static Group require(Call c, IamView view, String name) throws IamException {
        return view.group(c.account(), name).orElseThrow(() -> IamException.noSuchEntity("group", name));
    }

    private static Operation create(Call c) {
        String name = c.entityName("GroupName");
        String path = c.path("Path");
        return c.write(c.arn(PrincipalKind.GROUP, path, name), scope -> {
            var applied = c.state().apply(new Change.CreateGroup(c.account(), name, path, Ids.groupId(), Instant.now()));
            Group g = require(c, applied.view(), name);
            return c.respond(scope, x -> {
                x.start("Group");
                IamXml.group(x, g);
                x.end("Group");
            });
        });
    }

    private static Operation get(Call c) {
        String name = c.entityName("GroupName");
        Page.validate(c);
        return c.read(arn(c, name), scope -> {
            Group g = require(c, scope.view(), name);
            Page<User> page = Page.of(c, scope.view().groupMembers(c.account(), g.groupName()), User::userName);
            return c.respond(scope, x -> {
                x.start("Group");
                IamXml.group(x, g);
                x.end("Group");
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

    private static Operation list(Call c) {
        String prefix = c.pathPrefix();
        Page.validate(c);
        return c.read("*", scope -> {
            List<Group> groups = scope.view().groups(c.account()).stream().filter(g -> g.path().startsWith(prefix))
                    .toList();
            return groupList(c, scope, Page.of(c, groups, Group::groupName));
        });
    }

    private static String groupList(Call c, dev.portcullis.server.pipeline.RequestScope scope, Page<Group> page) {
        return c.respond(scope, x -> {
            x.start("Groups");
            for (Group g : page.items()) {
                x.start("member");
                IamXml.group(x, g);
                x.end("member");
            }
            x.end("Groups");
            page.writeTail(x);
        });
    }

    private static Operation delete(Call c) {
        String name = c.entityName("GroupName");
        return c.write(arn(c, name), scope -> {
            c.state().apply(new Change.DeleteGroup(c.account(), name));
            return c.empty(scope);
        });
    }

    private static Operation addUser(Call c) {
        String group = c.entityName("GroupName");
        String user = c.entityName("UserName");
        return c.write(arn(c, group), scope -> {
            c.state().apply(new Change.AddUserToGroup(c.account(), group, user));
            return c.empty(scope);
        });
    }

    private static Operation removeUser(Call c) {
        String group = c.entityName("GroupName");
        String user = c.entityName("UserName");
        return c.write(arn(c, group), scope -> {
            c.state().apply(new Change.RemoveUserFromGroup(c.account(), group, user));
            return c.empty(scope);
        });
    }

    private static Operation listForUser(Call c) {
        String user = c.entityName("UserName");
        Page.validate(c);
        return Users.on(c, user, false, scope -> {
            User u = Users.require(c, scope.view(), user);
            List<Group> groups = u.groups().stream().map(n -> scope.view().group(c.account(), n))
                    .flatMap(java.util.Optional::stream)
                    .sorted(java.util.Comparator.comparing(g -> g.groupName().toLowerCase(java.util.Locale.ROOT)))
                    .toList();
            return groupList(c, scope, Page.of(c, groups, Group::groupName));
        });
    }
}
