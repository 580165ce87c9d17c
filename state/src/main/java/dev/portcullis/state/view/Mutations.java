package dev.portcullis.state.view;

import dev.portcullis.state.IamException;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.change.Change.*;
import dev.portcullis.state.model.Account;
import dev.portcullis.state.model.Names;
import java.util.Locale;

/**
 * Dispatches a change to its rules. Java 17 has no pattern-matching switch, hence the chain; each
 * family of changes lives in its own class ({@link PrincipalRules}, {@link PolicyRules}, {@link
 * CredentialRules}, {@link GatewayRules}).
 */
final class Mutations {
    private Mutations() {
    }

    static void apply(Draft d, Change c) throws IamException {
        if (c instanceof CreateAccount x) {
            Names.accountId(x.accountId());
            if (d.accounts.get(x.accountId()) != null) {
                throw IamException.alreadyExists("Account with id " + x.accountId() + " already exists.");
            }
            if (x.alias().isPresent()) {
                aliasFree(d, x.alias().get());
            }
            d.accounts = d.accounts.with(x.accountId(), new Account(x.accountId(), x.alias(), x.at()));
        } else if (c instanceof SetAccountAlias x) {
            Account a = d.account(x.accountId());
            if (x.alias().isPresent()) {
                aliasFree(d, x.alias().get());
            }
            d.accounts = d.accounts.with(a.accountId(), new Account(a.accountId(), x.alias(), a.createdAt()));
        } else if (!PrincipalRules.apply(d, c) && !PolicyRules.apply(d, c) && !CredentialRules.apply(d, c)
                && !GatewayRules.apply(d, c)) {
            throw new IllegalStateException("no rule for change " + c.type());
        }
    }

    private static void aliasFree(Draft d, String alias) throws IamException {
        Names.accountAlias(alias);
        for (Account a : d.accounts.values()) {
            if (a.alias().map(x -> x.equals(alias.toLowerCase(Locale.ROOT))).orElse(false)) {
                throw IamException.alreadyExists("The account alias " + alias + " already exists.");
            }
        }
    }
}
