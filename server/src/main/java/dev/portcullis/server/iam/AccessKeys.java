package dev.portcullis.server.iam;

import dev.portcullis.core.policy.PrincipalType;
import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.server.query.QueryXml;
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

    /**
     * {@code UserName}, or the calling IAM user's name, or {@code ""} for the account root calling without
     * {@code UserName}: "this operation works for access keys under the AWS account. Consequently, you can use
     * this operation to manage AWS account root user credentials" (IAM API reference, CreateAccessKey,
     * UpdateAccessKey, DeleteAccessKey, ListAccessKeys).
     */
    private static String owner(Call c) {
        if (c.optional("UserName").isPresent()) {
            return c.entityName("UserName");
        }
        if (c.caller().isRoot()) {
            return ROOT;
        }
        if (c.caller().principal().type() != PrincipalType.USER) {
            throw new QueryException("ValidationError", "Must specify userName when calling with non-User credentials",
                    400);
        }
        return c.caller().principal().username();
    }

    private static final String ROOT = "";

    /** The operation on a user's keys, or on the root's own (authorized on the root ARN). */
    private static Operation on(Call c, String user, boolean write, Call.Body body) {
        if (!user.equals(ROOT)) {
            return Users.on(c, user, write, body);
        }
        String root = "arn:aws:iam::" + c.account() + ":root";
        return write ? c.write(root, body) : c.read(root, body);
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
        return on(c, user, true, scope -> {
            String name = user.equals(ROOT) ? ROOT : Users.require(c, scope.view(), user).userName();
            NewAccessKey key = c.state().createAccessKey(c.account(), name);
            AccessKeyEntry entry = c.state().view().accessKey(key.accessKeyId())
                    .orElseThrow(() -> IamException.noSuchEntity("The Access Key with id " + key.accessKeyId()
                            + " cannot be found."));
            char[] secret = key.secret().reveal();
            try {
                return c.respond(scope, x -> userName(x.start("AccessKey"), name)
                        .element("AccessKeyId", key.accessKeyId()).element("Status", "Active")
                        .element("SecretAccessKey", new String(secret))
                        .element("CreateDate", entry.key().createdAt()).end("AccessKey"));
            } finally {
                Arrays.fill(secret, '\0');
            }
        });
    }

    private static Operation list(Call c) {
        String user = owner(c);
        Page.validate(c);
        return on(c, user, false, scope -> {
            String owner = user.equals(ROOT) ? "arn:aws:iam::" + c.account() + ":root"
                    : Users.require(c, scope.view(), user).arn();
            String name = user.equals(ROOT) ? ROOT : Users.require(c, scope.view(), user).userName();
            List<AccessKey> keys = scope.view().accessKeys().stream().map(AccessKeyEntry::key)
                    .filter(k -> k.ownerArn().equals(owner))
                    .sorted(java.util.Comparator.comparing(AccessKey::accessKeyId)).toList();
            Page<AccessKey> page = Page.of(c, keys, AccessKey::accessKeyId);
            return c.respond(scope, x -> {
                x.start("AccessKeyMetadata");
                for (AccessKey k : page.items()) {
                    userName(x.start("member"), name).element("AccessKeyId", k.accessKeyId())
                            .element("Status", k.status().name()).element("CreateDate", k.createdAt()).end("member");
                }
                x.end("AccessKeyMetadata");
                page.writeTail(x);
            });
        });
    }

    /** The root user's keys are answered without a {@code UserName}, as AWS answers them. */
    private static QueryXml userName(QueryXml x, String name) {
        return name.isEmpty() ? x : x.element("UserName", name);
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
        return on(c, user, true, scope -> {
            c.state().apply(new Change.UpdateAccessKey(c.account(), user, id, s));
            return c.empty(scope);
        });
    }

    private static Operation delete(Call c) {
        String user = owner(c);
        String id = keyId(c);
        return on(c, user, true, scope -> {
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
