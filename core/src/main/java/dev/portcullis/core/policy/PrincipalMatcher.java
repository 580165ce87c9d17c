package dev.portcullis.core.policy;

import dev.portcullis.core.arn.Arn;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A compiled {@code Principal} or {@code NotPrincipal} element.
 *
 * <p>How a principal is named matters for AWS's evaluation: a resource policy that names the
 * exact user or role session can allow on its own in the same account; one that names the role
 * is still limited by the session's boundary and session policies; one that names the account
 * (its id or root ARN) only delegates to the account's own identity policies
 * ("Policy evaluation logic", "AWS JSON policy elements: Principal").
 */
final class PrincipalMatcher {

    /** How strongly a statement named the caller, weakest first. */
    enum Kind { NONE, ACCOUNT, ROLE, EXACT }

    private final boolean negated;
    private final boolean everyone;
    private final Set<String> accounts = new HashSet<>();
    private final Set<String> exactArns = new HashSet<>();
    private final Set<String> roleArns = new HashSet<>();
    private final Set<String> services = new HashSet<>();
    private final Set<String> federated = new HashSet<>();
    private final Set<String> canonical = new HashSet<>();

    PrincipalMatcher(Map<String, List<String>> element, boolean negated) {
        this.negated = negated;
        boolean all = false;
        for (Map.Entry<String, List<String>> e : element.entrySet()) {
            for (String v : e.getValue()) {
                switch (e.getKey()) {
                    case "*":
                        all = true;
                        break;
                    case "AWS":
                        if (v.equals("*")) {
                            all = true;
                        } else {
                            addAws(v);
                        }
                        break;
                    case "Service":
                        services.add(v.toLowerCase(Locale.ROOT));
                        break;
                    case "Federated":
                        federated.add(v);
                        break;
                    case "CanonicalUser":
                        canonical.add(v);
                        break;
                    default:
                        break;
                }
            }
        }
        this.everyone = all;
    }

    private void addAws(String v) {
        if (isAccountId(v)) {
            accounts.add(v);
            return;
        }
        Arn arn = Arn.tryParse(v).orElse(null);
        if (arn == null) {
            return;
        }
        if (arn.service().equals("iam") && arn.resource().equals("root")) {
            accounts.add(arn.accountId());
        } else if (arn.service().equals("iam") && arn.resourceType().equals("role")) {
            roleArns.add(v);
        } else {
            exactArns.add(v);
        }
    }

    static boolean isAccountId(String v) {
        if (v.length() != 12) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether the statement applies to {@code p}, and how specifically it named it. */
    Kind match(RequestPrincipal p) {
        if (negated) {
            return notPrincipalApplies(p) ? Kind.EXACT : Kind.NONE;
        }
        if (everyone) {
            return Kind.EXACT;
        }
        switch (p.type()) {
            case ACCOUNT:
                return accounts.contains(p.accountId()) ? Kind.EXACT : Kind.NONE;
            case USER:
            case FEDERATED_USER:
                if (exactArns.contains(p.arn())) {
                    return Kind.EXACT;
                }
                return accounts.contains(p.accountId()) ? Kind.ACCOUNT : Kind.NONE;
            case ASSUMED_ROLE:
                if (exactArns.contains(p.arn())) {
                    return Kind.EXACT;
                }
                if (roleArns.contains(p.roleArn())) {
                    return Kind.ROLE;
                }
                return accounts.contains(p.accountId()) ? Kind.ACCOUNT : Kind.NONE;
            case SERVICE:
                return services.contains(p.arn().toLowerCase(Locale.ROOT)) ? Kind.EXACT : Kind.NONE;
            case WEB_IDENTITY:
                return federated.contains(p.arn()) ? Kind.EXACT : Kind.NONE;
            default:
                return Kind.NONE;
        }
    }

    /**
     * NotPrincipal: the statement applies unless every identity the caller is evaluated as is
     * listed — its own ARN, its role (for a session) and its account. This is why AWS's examples
     * of {@code Deny} with {@code NotPrincipal} list the account and the role beside the session.
     */
    private boolean notPrincipalApplies(RequestPrincipal p) {
        if (everyone) {
            return false;
        }
        switch (p.type()) {
            case ACCOUNT:
                return !accounts.contains(p.accountId());
            case USER:
            case FEDERATED_USER:
                return !exactArns.contains(p.arn()) || !accounts.contains(p.accountId());
            case ASSUMED_ROLE:
                return !exactArns.contains(p.arn()) || !roleArns.contains(p.roleArn()) || !accounts.contains(p.accountId());
            case SERVICE:
                return !services.contains(p.arn().toLowerCase(Locale.ROOT));
            case WEB_IDENTITY:
                return !federated.contains(p.arn());
            default:
                return true;
        }
    }
}
