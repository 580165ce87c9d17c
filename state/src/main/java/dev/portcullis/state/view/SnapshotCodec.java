package dev.portcullis.state.view;

import dev.portcullis.core.policy.Policy;
import dev.portcullis.core.policy.PolicyKind;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.state.IamException;
import dev.portcullis.state.change.ChangeCodec;
import dev.portcullis.state.model.Account;
import dev.portcullis.state.model.AccessKey;
import dev.portcullis.state.model.Api;
import dev.portcullis.state.model.Group;
import dev.portcullis.state.model.InlinePolicy;
import dev.portcullis.state.model.ManagedPolicy;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.model.ServicePrincipal;
import dev.portcullis.state.model.User;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A view as a snapshot: gzip-compressed JSON of the model records, secrets sealed (never in
 * clear). Loading rebuilds every index in one pass and recompiles every policy, so a snapshot
 * never holds engine internals and survives engine upgrades.
 */
public final class SnapshotCodec {
    /** Format version written in the snapshot row; bump when the record shapes change incompatibly. */
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = ChangeCodec.mapper();

    private SnapshotCodec() {
    }

    /** The model records of a snapshot. */
    record Model(long sequence, List<Account> accounts, List<User> users, List<Group> groups, List<Role> roles,
                 List<ManagedPolicy> policies, List<AccessKey> accessKeys, List<ServicePrincipal> servicePrincipals,
                 List<Api> apis) {
    }

    public static byte[] write(IamView v) {
        Model m = new Model(v.sequence, v.accounts.values(), v.users.values(), v.groups.values(), v.roles.values(),
                v.policies.values(), v.accessKeys.values().stream().map(AccessKeyEntry::key).toList(),
                v.servicePrincipals.values(), v.apis.values());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes, 1 << 16)) {
            JSON.writeValue(out, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Rebuilds a view from snapshot bytes. A snapshot that does not decode, or holds a policy the
     * compiler rejects, fails with {@link IOException} naming the cause.
     */
    public static IamView read(byte[] data, ViewApplier applier) throws IOException {
        Model m;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data), 1 << 16)) {
            m = JSON.readValue(in, Model.class);
        }
        try {
            return build(m, applier);
        } catch (IamException e) {
            throw new IOException("snapshot at sequence " + m.sequence() + " holds an invalid policy: "
                    + e.code() + ": " + e.getMessage());
        }
    }

    private static IamView build(Model m, ViewApplier applier) throws IamException {
        Draft d = new Draft(IamView.empty(), applier.compiler(), applier.keyring());
        var accounts = new ShardedMap.Builder<String, Account>();
        m.accounts().forEach(a -> accounts.put(a.accountId(), a));
        var policies = new ShardedMap.Builder<String, ManagedPolicy>();
        var byName = new ShardedMap.Builder<String, String>();
        var compiledManaged = new ShardedMap.Builder<String, CompiledPolicy>();
        // Many principals share few policy documents: compile each distinct document once.
        Map<String, Policy> compiledDocs = new HashMap<>();
        for (ManagedPolicy p : m.policies()) {
            policies.put(p.arn(), p);
            byName.put(IamView.key(p.accountId(), p.policyName()), p.arn());
            String doc = p.defaultVersion().document();
            compiledManaged.put(p.arn(), new CompiledPolicy(p.arn(), p.defaultVersionId(),
                    compileOnce(d, compiledDocs, doc, PolicyKind.MANAGED)));
        }
        var users = new ShardedMap.Builder<String, User>();
        var usersByArn = new ShardedMap.Builder<String, User>();
        var inline = new ShardedMap.Builder<String, CompiledPolicy>();
        for (User u : m.users()) {
            users.put(IamView.key(u.accountId(), u.userName()), u);
            usersByArn.put(u.arn(), u);
            inline(d, compiledDocs, inline, u.arn(), u.inlinePolicies(), PolicyKind.INLINE_USER);
        }
        var groups = new ShardedMap.Builder<String, Group>();
        for (Group g : m.groups()) {
            groups.put(IamView.key(g.accountId(), g.groupName()), g);
            inline(d, compiledDocs, inline, g.arn(), g.inlinePolicies(), PolicyKind.INLINE_GROUP);
        }
        var roles = new ShardedMap.Builder<String, Role>();
        var rolesByArn = new ShardedMap.Builder<String, Role>();
        var trust = new ShardedMap.Builder<String, CompiledPolicy>();
        for (Role r : m.roles()) {
            roles.put(IamView.key(r.accountId(), r.roleName()), r);
            rolesByArn.put(r.arn(), r);
            inline(d, compiledDocs, inline, r.arn(), r.inlinePolicies(), PolicyKind.INLINE_ROLE);
            trust.put(r.arn(), new CompiledPolicy(r.arn(), "trust",
                    compileOnce(d, compiledDocs, r.assumeRolePolicyDocument(), PolicyKind.TRUST)));
        }
        var sps = new ShardedMap.Builder<String, ServicePrincipal>();
        Map<String, ServicePrincipal> spByKey = new HashMap<>();
        for (ServicePrincipal sp : m.servicePrincipals()) {
            sps.put(sp.name(), sp);
            spByKey.put(sp.accessKeyId(), sp);
        }
        var keys = new ShardedMap.Builder<String, AccessKeyEntry>();
        for (AccessKey k : m.accessKeys()) {
            keys.put(k.accessKeyId(), new AccessKeyEntry(k, applier.keyring().open(k.sealedSecret(), k.accessKeyId()),
                    Optional.ofNullable(spByKey.get(k.accessKeyId()))));
        }
        var apis = new ShardedMap.Builder<String, Api>();
        var apiPolicies = new ShardedMap.Builder<String, CompiledPolicy>();
        for (Api a : m.apis()) {
            apis.put(a.apiId(), a);
            if (a.resourcePolicy().isPresent()) {
                apiPolicies.put(a.apiId(), d.compile(a.apiId(), "resource-policy", PolicyKind.RESOURCE,
                        a.resourcePolicy().get()));
            }
        }
        d.accounts = accounts.build();
        d.policies = policies.build();
        d.policyArnsByName = byName.build();
        d.compiledManaged = compiledManaged.build();
        d.users = users.build();
        d.usersByArn = usersByArn.build();
        d.groups = groups.build();
        d.roles = roles.build();
        d.rolesByArn = rolesByArn.build();
        d.compiledInline = inline.build();
        d.compiledTrust = trust.build();
        d.servicePrincipals = sps.build();
        d.accessKeys = keys.build();
        d.apis = apis.build();
        d.compiledApiPolicies = apiPolicies.build();
        var principals = new ShardedMap.Builder<String, PrincipalPolicies>();
        for (User u : m.users()) {
            principals.put(u.arn(), PrincipalIndex.forUser(d, u));
        }
        for (Role r : m.roles()) {
            principals.put(r.arn(), PrincipalIndex.forRole(d, r));
        }
        d.principalPolicies = principals.build();
        return d.build(m.sequence());
    }

    private static Policy compileOnce(Draft d, Map<String, Policy> cache, String doc, PolicyKind use)
            throws IamException {
        String key = use + "\u0000" + doc;
        Policy compiled = cache.get(key);
        if (compiled == null) {
            compiled = d.compiler.compile(doc, use);
            cache.put(key, compiled);
        }
        return compiled;
    }

    private static void inline(Draft d, Map<String, Policy> cache, ShardedMap.Builder<String, CompiledPolicy> out,
                               String ownerArn, Map<String, InlinePolicy> policies, PolicyKind use) throws IamException {
        for (InlinePolicy p : policies.values()) {
            out.put(IamView.inlineKey(ownerArn, p.policyName()), new CompiledPolicy(ownerArn, p.policyName(),
                    compileOnce(d, cache, p.document(), use)));
        }
    }
}
