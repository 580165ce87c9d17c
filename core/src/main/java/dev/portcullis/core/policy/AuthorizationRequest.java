package dev.portcullis.core.policy;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One question for the engine: may this principal perform this action on this resource, in this
 * context, under these policies? Immutable; the typed request context (the {@code aws:*} keys
 * derived from the principal, resource, tags and time) is computed once, at construction.
 *
 * <p>Context keys are case-insensitive, values case-sensitive. Keys passed with
 * {@link Builder#context(String, String...)} override derived ones.
 */
public final class AuthorizationRequest {

    private static final PolicySet EMPTY = PolicySet.ofIdentity(List.of());

    private final RequestPrincipal principal;
    private final String action;
    private final String actionLower;
    private final String service;
    private final String resource;
    private final String resourceAccount;
    private final PolicySet policies;
    private final ContextValues context;

    private AuthorizationRequest(Builder b) {
        this.principal = Objects.requireNonNull(b.principal, "principal");
        this.action = Objects.requireNonNull(b.action, "action");
        this.actionLower = action.toLowerCase(Locale.ROOT);
        int colon = actionLower.indexOf(':');
        this.service = colon < 0 ? "" : actionLower.substring(0, colon);
        this.resource = Objects.requireNonNullElse(b.resource, "*");
        this.resourceAccount = Objects.requireNonNullElse(b.resourceAccount, "");
        this.policies = b.policies != null ? b.policies : EMPTY;
        // Sized for the derived keys, the tags and the caller's keys without rehashing (a request has ~20).
        Map<String, String[]> values = new HashMap<>(
                2 * (24 + principal.tags().size() + b.resourceTags.size() + b.requestTags.size() + b.context.size()));
        derive(b, values);
        values.putAll(b.context);
        this.context = new ContextValues(values);
    }

    private void derive(Builder b, Map<String, String[]> values) {
        RequestPrincipal p = principal;
        put(values, "aws:principaltype", p.type().contextValue());
        put(values, "aws:userid", p.userId());
        put(values, "aws:principalarn", p.principalArnKey());
        put(values, "aws:principalaccount", p.accountId());
        put(values, "aws:username", p.username());
        if (p.type() == PrincipalType.SERVICE) {
            put(values, "aws:principalservicename", p.arn());
            put(values, "aws:principalisawsservice", "true");
        } else if (p.type() != PrincipalType.ANONYMOUS) {
            put(values, "aws:principalisawsservice", "false");
        }
        for (Map.Entry<String, String> tag : p.tags().entrySet()) {
            put(values, "aws:principaltag/" + tag.getKey().toLowerCase(Locale.ROOT), tag.getValue());
        }
        put(values, "aws:resourceaccount", resourceAccount);
        for (Map.Entry<String, String> tag : b.resourceTags.entrySet()) {
            put(values, "aws:resourcetag/" + tag.getKey().toLowerCase(Locale.ROOT), tag.getValue());
        }
        if (!b.requestTags.isEmpty()) {
            for (Map.Entry<String, String> tag : b.requestTags.entrySet()) {
                put(values, "aws:requesttag/" + tag.getKey().toLowerCase(Locale.ROOT), tag.getValue());
            }
            values.put("aws:tagkeys", b.requestTags.keySet().toArray(new String[0]));
        }
        if (b.time != null) {
            TimeKeys t = TimeKeys.of(b.time.getEpochSecond());
            put(values, "aws:currenttime", t.iso8601());
            put(values, "aws:epochtime", t.epoch());
        }
    }

    /**
     * {@code aws:CurrentTime} and {@code aws:EpochTime} of one second. Requests of the same second share
     * them: the last second's pair is kept (a race only means formatting again).
     */
    private record TimeKeys(long second, String iso8601, String epoch) {
        private static volatile TimeKeys last = new TimeKeys(Long.MIN_VALUE, "", "");

        static TimeKeys of(long second) {
            TimeKeys t = last;
            if (t.second() != second) {
                t = new TimeKeys(second, AuthorizationRequest.iso8601(Instant.ofEpochSecond(second)), Long.toString(second));
                last = t;
            }
            return t;
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ssZ} without going through DateTimeFormatter. */
    static String iso8601(Instant t) {
        java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, java.time.ZoneOffset.UTC);
        int year = d.getYear();
        if (year < 0 || year > 9999) {
            return t.toString();
        }
        char[] c = new char[20];
        pad(c, 0, year, 4);
        c[4] = '-';
        pad(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        pad(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        pad(c, 11, d.getHour(), 2);
        c[13] = ':';
        pad(c, 14, d.getMinute(), 2);
        c[16] = ':';
        pad(c, 17, d.getSecond(), 2);
        c[19] = 'Z';
        return new String(c);
    }

    private static void pad(char[] c, int at, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            c[at + i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static void put(Map<String, String[]> values, String key, String value) {
        if (value != null && !value.isEmpty()) {
            values.put(key, new String[] {value});
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public RequestPrincipal principal() {
        return principal;
    }

    /** The action as given, e.g. {@code s3:GetObject}. */
    public String action() {
        return action;
    }

    /** The resource ARN, or {@code *} for actions that take no resource. */
    public String resource() {
        return resource;
    }

    /** The account that owns the resource; empty when unknown (then the principal's account is assumed). */
    public String resourceAccount() {
        return resourceAccount;
    }

    public PolicySet policies() {
        return policies;
    }

    /** Every context key (lower-cased) with its values, sorted by key (built on each call; not for hot paths). */
    public Map<String, List<String>> context() {
        Map<String, List<String>> view = new LinkedHashMap<>();
        context.asMap().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> view.put(e.getKey(), List.of(e.getValue())));
        return Collections.unmodifiableMap(view);
    }

    /** A copy of this request with other policies (the same question under another policy set). */
    public AuthorizationRequest withPolicies(PolicySet other) {
        Builder b = toBuilder();
        b.policies = other;
        return b.build();
    }

    private Builder toBuilder() {
        Builder b = new Builder();
        b.principal = principal;
        b.action = action;
        b.resource = resource;
        b.resourceAccount = resourceAccount;
        b.policies = policies;
        for (Map.Entry<String, String[]> e : context.asMap().entrySet()) {
            b.context.put(e.getKey(), e.getValue().clone());
        }
        return b;
    }

    String actionLower() {
        return actionLower;
    }

    String service() {
        return service;
    }

    ContextValues values() {
        return context;
    }

    /** True when the principal and the resource belong to the same account (or the resource's is unknown). */
    boolean sameAccount() {
        return resourceAccount.isEmpty() || principal.accountId().equals(resourceAccount);
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[" + principal.arn() + " " + action + " " + resource + "]";
    }

    /** The global condition keys callers set per request, and their lower-case forms. */
    private static final Map<String, String> LOWER_KEYS = java.util.stream.Stream.of("aws:SourceIp",
                    "aws:SecureTransport", "aws:RequestedRegion", "aws:ViaAWSService", "aws:UserAgent",
                    "aws:TokenIssueTime", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:SourceIdentity",
                    "aws:SourceArn", "aws:SourceAccount", "aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp",
                    "aws:Referer", "aws:CalledVia", "aws:FederatedProvider", "sts:RoleSessionName",
                    "sts:TransitiveTagKeys", "sts:ExternalId", "sts:SourceIdentity")
            .collect(java.util.stream.Collectors.toUnmodifiableMap(k -> k, k -> k.toLowerCase(Locale.ROOT)));

    /** Builds a request; {@code principal} and {@code action} are required. */
    public static final class Builder {
        private RequestPrincipal principal;
        private String action;
        private String resource;
        private String resourceAccount;
        private PolicySet policies;
        private Instant time;
        private final Map<String, String> resourceTags = new LinkedHashMap<>();
        private final Map<String, String> requestTags = new LinkedHashMap<>();
        private final Map<String, String[]> context = new LinkedHashMap<>();

        public Builder principal(RequestPrincipal p) {
            this.principal = p;
            return this;
        }

        public Builder action(String a) {
            this.action = a;
            return this;
        }

        public Builder resource(String arn) {
            this.resource = arn;
            return this;
        }

        public Builder resourceAccount(String accountId) {
            this.resourceAccount = accountId;
            return this;
        }

        public Builder resourceTag(String key, String value) {
            resourceTags.put(key, value);
            return this;
        }

        /** A tag the request sets (feeds {@code aws:RequestTag/key} and {@code aws:TagKeys}). */
        public Builder requestTag(String key, String value) {
            requestTags.put(key, value);
            return this;
        }

        /** The request time (feeds {@code aws:CurrentTime} and {@code aws:EpochTime}). */
        public Builder time(Instant t) {
            this.time = t;
            return this;
        }

        /** Any context key by name ({@code aws:SourceIp}, {@code s3:prefix}…); several values make it multi-valued. */
        public Builder context(String key, String... values) {
            for (String v : values) {
                Objects.requireNonNull(v, "context value");
            }
            context.put(lower(key), values.clone());
            return this;
        }

        public Builder context(String key, List<String> values) {
            context.put(lower(key), values.toArray(new String[0]));
            return this;
        }

        /** Context keys are case-insensitive; the common ones are lower-cased once, not per request. */
        private static String lower(String key) {
            String known = LOWER_KEYS.get(key);
            return known != null ? known : key.toLowerCase(Locale.ROOT);
        }

        public Builder policies(PolicySet set) {
            this.policies = set;
            return this;
        }

        public AuthorizationRequest build() {
            return new AuthorizationRequest(this);
        }
    }
}
