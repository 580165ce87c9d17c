package dev.portcullis.server.iam;

import dev.portcullis.core.policy.PrincipalType;
import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.state.IamException;
import dev.portcullis.state.NewAccessKey;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.AccessKey;
import dev.portcullis.state.model.AccessKeyStatus;
import dev.portcullis.state.model.User;
import dev.portcullis.state.view.AccessKeyEntry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Access keys of users. Without {@code UserName}, the calling user's keys; the root user has no IAM
 * user to hold keys in this model, so it must name one.
 */
final class AccessKeys {

    private static final Pattern KEY_ID = Pattern.compile("[\\w]+");

    private AccessKeys() {
    }

    static void register(Map<String, Resolver> r) {
        r.put("CreateAccessKey", AccessKeys::create);
        r.put("ListAccessKeys", AccessKeys::list);
        r.put("UpdateAccessKey", AccessKeys::update);
        r.put("DeleteAccessKey", AccessKeys::delete);
        r.put("GetAccessKeyLastUsed", AccessKeys::lastUsed);
    }

    /** {@code UserName}, or the calling IAM user's name. */
    private static String owner(Call c) {
        if (c.optional("UserName").isPresent()) {
            return c.entityName("UserName");
        }
        if (c.caller().principal().type() != PrincipalType.USER) {
            throw new QueryException("ValidationError", "Must specify userName when calling with non-User credentials",
                    400);
        }
        return c.caller().principal().username();
    }

    private static String keyId(Call c) {
        String id = c.required("AccessKeyId");
        if (id.length() < 16 || id.length() > 128) {
            throw QueryException.invalid("AccessKeyId", id, "Member must have length between 16 and 128");
        }
        if (!KEY_ID.matcher(id).matches()) {
            throw QueryException.invalid("AccessKeyId", id, "Member must satisfy regular expression pattern: [\\w]+");
        }
        return id;
    }

    private static Operation create(Call c) {
        String user = owner(c);
        return Users.on(c, user, true, scope -> {
            User u = Users.require(c, scope.view(), user);
            NewAccessKey key = c.state().createAccessKey(c.account(), u.userName());
            AccessKeyEntry entry = c.state().view().accessKey(key.accessKeyId())
                    .orElseThrow(() -> IamException.noSuchEntity("The Access Key with id " + key.accessKeyId()
                            + " cannot be found."));
            char[] secret = key.secret().reveal();
            try {
                return c.respond(scope, x -> x.start("AccessKey").element("UserName", u.userName())
                        .element("AccessKeyId", key.accessKeyId()).element("Status", "Active")
                        .element("SecretAccessKey", new String(secret))
                        .element("CreateDate", entry.key().createdAt()).end("AccessKey"));
            } finally {
                Arrays.fill(secret, '\0');
            }
        });
    }

    private static Operation list(Call c) {
        boolean named = c.optional("UserName").isPresent();
        boolean root = !named && c.caller().isRoot();
        String user = root ? null : owner(c);
        Page.validate(c);
        if (root) {
            // The root user's own keys are not IAM user keys; there are none to list here.
            return c.read(c.caller().arn(), scope -> c.respond(scope, x -> {
                x.start("AccessKeyMetadata").end("AccessKeyMetadata");
                x.element("IsTruncated", false);
            }));
        }
        return Users.on(c, user, false, scope -> {
            User u = Users.require(c, scope.view(), user);
            List<AccessKey> keys = scope.view().accessKeys(c.account(), u.userName()).stream()
                    .map(AccessKeyEntry::key).sorted(java.util.Comparator.comparing(AccessKey::accessKeyId)).toList();
            Page<AccessKey> page = Page.of(c, keys, AccessKey::accessKeyId);
            return c.respond(scope, x -> {
                x.start("AccessKeyMetadata");
                for (AccessKey k : page.items()) {
                    x.start("member").element("UserName", u.userName()).element("AccessKeyId", k.accessKeyId())
                            .element("Status", k.status().name()).element("CreateDate", k.createdAt()).end("member");
                }
                x.end("AccessKeyMetadata");
                page.writeTail(x);
            });
        });
    }

    private static Operation update(Call c) {
        String user = owner(c);
        String id = keyId(c);
        String status = c.required("Status");
        AccessKeyStatus s;
        try {
            s = AccessKeyStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw QueryException.invalid("Status", status, "Member must satisfy enum value set: [Active, Inactive]");
        }
        return Users.on(c, user, true, scope -> {
            c.state().apply(new Change.UpdateAccessKey(c.account(), user, id, s));
            return c.empty(scope);
        });
    }

    private static Operation delete(Call c) {
        String user = owner(c);
        String id = keyId(c);
        return Users.on(c, user, true, scope -> {
            c.state().apply(new Change.DeleteAccessKey(c.account(), user, id));
            return c.empty(scope);
        });
    }

    /**
     * GetAccessKeyLastUsed: authorized on the key's owner; a key that is unknown, belongs to another
     * account or to a service principal is authorized on {@code *} and then not found.
     */
    private static Operation lastUsed(Call c) {
        String id = keyId(c);
        Optional<AccessKeyEntry> entry = c.view().accessKey(id)
                .filter(e -> e.key().accountId().equals(c.account()) && e.servicePrincipal().isEmpty());
        String resource = entry.map(e -> e.key().ownerArn()).orElse("*");
        return c.read(resource, scope -> {
            AccessKey k = scope.view().accessKey(id)
                    .filter(e -> e.key().accountId().equals(c.account()) && e.servicePrincipal().isEmpty())
                    .map(AccessKeyEntry::key)
                    .orElseThrow(() -> IamException.noSuchEntity("The Access Key with id " + id + " cannot be found."));
            return c.respond(scope, x -> {
                x.element("UserName", k.ownerName());
                x.start("AccessKeyLastUsed");
                if (k.lastUsed().isPresent()) {
                    x.element("LastUsedDate", k.lastUsed().get().lastUsedAt())
                            .element("ServiceName", k.lastUsed().get().serviceName())
                            .element("Region", k.lastUsed().get().region());
                } else {
                    x.element("ServiceName", "N/A").element("Region", "N/A");
                }
                x.end("AccessKeyLastUsed");
            });
        });
    }
}
