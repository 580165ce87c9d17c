package dev.portcullis.state.view;

import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.change.Change.*;
import dev.portcullis.state.keyring.Secret;
import dev.portcullis.state.model.AccessKey;
import dev.portcullis.state.model.AccessKeyLastUsed;
import dev.portcullis.state.model.AccessKeyStatus;
import dev.portcullis.state.model.Names;
import dev.portcullis.state.model.ServicePrincipal;
import dev.portcullis.state.model.User;
import java.util.Locale;
import java.util.Optional;

/** Access keys (secrets opened into memory here) and service principals. */
final class CredentialRules {
    static final int ACCESS_KEYS_PER_USER = 2;

    private CredentialRules() {
    }

    static boolean apply(Draft d, Change c) throws IamException {
        if (c instanceof CreateAccessKey x && (x.userName() == null || x.userName().isEmpty())) {
            createRootKey(d, x);
        } else if (c instanceof CreateAccessKey x) {
            User u = d.user(x.accountId(), x.userName());
            String arn = u.arn();
            int owned = 0;
            for (AccessKeyEntry e : d.accessKeys.values()) {
                owned += e.key().ownerArn().equals(arn) ? 1 : 0;
            }
            if (owned >= ACCESS_KEYS_PER_USER) {
                throw IamException.limitExceeded("Cannot exceed quota for AccessKeysPerUser: " + ACCESS_KEYS_PER_USER);
            }
            keyIdFree(d, x.accessKeyId());
            AccessKey key = new AccessKey(x.accessKeyId(), u.accountId(), u.userName(), arn, AccessKeyStatus.Active,
                    x.at(), x.sealedSecret(), Optional.empty());
            d.accessKeys = d.accessKeys.with(key.accessKeyId(), new AccessKeyEntry(key, open(d, key), Optional.empty()));
        } else if (c instanceof UpdateAccessKey x) {
            AccessKeyEntry e = userKey(d, x.accountId(), x.userName(), x.accessKeyId());
            AccessKey k = e.key();
            put(d, e, new AccessKey(k.accessKeyId(), k.accountId(), k.ownerName(), k.ownerArn(), x.status(),
                    k.createdAt(), k.sealedSecret(), k.lastUsed()));
        } else if (c instanceof DeleteAccessKey x) {
            userKey(d, x.accountId(), x.userName(), x.accessKeyId());
            d.accessKeys = d.accessKeys.without(x.accessKeyId());
        } else if (c instanceof RecordAccessKeyLastUsed x) {
            AccessKeyEntry e = key(d, x.accessKeyId());
            AccessKey k = e.key();
            put(d, e, new AccessKey(k.accessKeyId(), k.accountId(), k.ownerName(), k.ownerArn(), k.status(),
                    k.createdAt(), k.sealedSecret(),
                    Optional.of(new AccessKeyLastUsed(x.at(), x.serviceName(), x.region()))));
        } else if (c instanceof ResealAccessKey x) {
            AccessKeyEntry e = key(d, x.accessKeyId());
            AccessKey k = e.key();
            AccessKey resealed = new AccessKey(k.accessKeyId(), k.accountId(), k.ownerName(), k.ownerArn(), k.status(),
                    k.createdAt(), x.sealedSecret(), k.lastUsed());
            open(d, resealed); // the new ciphertext must open before it replaces the old one
            put(d, e, resealed);
        } else if (c instanceof CreateServicePrincipal x) {
            Names.serviceName(x.name());
            d.account(x.accountId());
            String name = x.name().toLowerCase(Locale.ROOT);
            if (d.servicePrincipals.get(name) != null) {
                throw IamException.alreadyExists("Service principal with name " + x.name() + " already exists.");
            }
            keyIdFree(d, x.accessKeyId());
            ServicePrincipal sp = new ServicePrincipal(name, x.accountId(), x.accessKeyId(), x.mayAssertSource(), x.at());
            AccessKey key = new AccessKey(x.accessKeyId(), x.accountId(), name, name, AccessKeyStatus.Active, x.at(),
                    x.sealedSecret(), Optional.empty());
            d.servicePrincipals = d.servicePrincipals.with(name, sp);
            d.accessKeys = d.accessKeys.with(key.accessKeyId(), new AccessKeyEntry(key, open(d, key), Optional.of(sp)));
        } else if (c instanceof DeleteServicePrincipal x) {
            String name = x.name().toLowerCase(Locale.ROOT);
            ServicePrincipal sp = d.servicePrincipals.get(name);
            if (sp == null) {
                throw IamException.noSuchEntity("The service principal with name " + x.name() + " cannot be found.");
            }
            d.servicePrincipals = d.servicePrincipals.without(name);
            d.accessKeys = d.accessKeys.without(sp.accessKeyId());
        } else {
            return false;
        }
        return true;
    }

    /**
     * An access key of the account root user ({@code arn:aws:iam::ACCOUNT:root}), as AWS allows (and
     * discourages): a change with no user name. Same quota as users.
     */
    private static void createRootKey(Draft d, CreateAccessKey x) throws IamException {
        d.account(x.accountId());
        String arn = "arn:aws:iam::" + x.accountId() + ":root";
        int owned = 0;
        for (AccessKeyEntry e : d.accessKeys.values()) {
            owned += e.key().ownerArn().equals(arn) ? 1 : 0;
        }
        if (owned >= ACCESS_KEYS_PER_USER) {
            throw IamException.limitExceeded("Cannot exceed quota for AccessKeysPerUser: " + ACCESS_KEYS_PER_USER);
        }
        keyIdFree(d, x.accessKeyId());
        AccessKey key = new AccessKey(x.accessKeyId(), x.accountId(), "", arn, AccessKeyStatus.Active, x.at(),
                x.sealedSecret(), Optional.empty());
        d.accessKeys = d.accessKeys.with(key.accessKeyId(), new AccessKeyEntry(key, open(d, key), Optional.empty()));
    }

    private static Secret open(Draft d, AccessKey key) {
        return d.keyring.open(key.sealedSecret(), key.accessKeyId());
    }

    private static void put(Draft d, AccessKeyEntry old, AccessKey key) {
        d.accessKeys = d.accessKeys.with(key.accessKeyId(),
                new AccessKeyEntry(key, old.secret(), old.servicePrincipal()));
    }

    private static void keyIdFree(Draft d, String accessKeyId) throws IamException {
        if (d.accessKeys.get(accessKeyId) != null) {
            throw IamException.alreadyExists("Access key " + accessKeyId + " already exists.");
        }
    }

    private static AccessKeyEntry key(Draft d, String accessKeyId) throws IamException {
        AccessKeyEntry e = d.accessKeys.get(accessKeyId);
        if (e == null) {
            throw IamException.noSuchEntity("The Access Key with id " + accessKeyId + " cannot be found.");
        }
        return e;
    }

    /** A key of the named user, or of the account root when {@code userName} is empty (as in AWS). */
    private static AccessKeyEntry userKey(Draft d, String accountId, String userName, String accessKeyId)
            throws IamException {
        String owner;
        if (userName == null || userName.isEmpty()) {
            d.account(accountId);
            owner = "arn:aws:iam::" + accountId + ":root";
        } else {
            owner = d.user(accountId, userName).arn();
        }
        AccessKeyEntry e = d.accessKeys.get(accessKeyId);
        if (e == null || !e.key().ownerArn().equals(owner)) {
            throw IamException.noSuchEntity("The Access Key with id " + accessKeyId + " cannot be found.");
        }
        return e;
    }
}
