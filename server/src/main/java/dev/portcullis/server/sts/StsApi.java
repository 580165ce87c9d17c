package dev.portcullis.server.sts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.Policies;
import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.core.policy.PolicyRef;
import dev.portcullis.core.policy.PolicyValidationException;
import dev.portcullis.core.policy.PrincipalType;
import dev.portcullis.core.token.SessionClaims;
import dev.portcullis.core.token.SessionTokenCodec;
import dev.portcullis.core.token.SessionType;
import dev.portcullis.server.pipeline.AccessControl;
import dev.portcullis.server.pipeline.Caller;
import dev.portcullis.server.pipeline.Denials;
import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.server.pipeline.QueryApi;
import dev.portcullis.server.pipeline.RequestScope;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.server.query.QueryParameters;
import dev.portcullis.server.query.QueryXml;
import dev.portcullis.state.model.Role;
import dev.portcullis.state.view.IamView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * STS over the Query protocol. {@code AssumeRole} is authorized by the pipeline as {@code sts:AssumeRole}
 * on the role with the role's trust policy as the resource policy; passing session tags and a source
 * identity additionally needs {@code sts:TagSession} and {@code sts:SetSourceIdentity}, checked here
 * through the same {@link AccessControl}.
 *
 * @see <a href="https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html">AssumeRole</a>
 */
public final class StsApi implements QueryApi {

    public static final String VERSION = "2011-06-15";
    public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    private static final Pattern SOURCE_IDENTITY = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Set<String> ACTIONS = Set.of("GetCallerIdentity", "AssumeRole", "GetSessionToken");
    /** AWS's packed-size budget shared by the session policy and the session tags. */
    private static final int PACKED_BUDGET = 2048;
    private static final Duration CHAINED_MAX = Duration.ofHours(1);

    private final SessionTokenCodec tokens;
    private final AccessControl access;
    private final Clock clock;
    private final dev.portcullis.server.pipeline.LastUsedTracker lastUsed;

    public StsApi(SessionTokenCodec tokens, AccessControl access, Clock clock,
                  dev.portcullis.server.pipeline.LastUsedTracker lastUsed) {
        this.lastUsed = lastUsed;
        this.tokens = tokens;
        this.access = access;
        this.clock = clock;
    }

    @Override
    public String service() {
        return "sts";
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    /**
     * AssumeRole and GetSessionToken answer with a session token of a kilobyte or more; their events carry
     * what CloudTrail records of them (the new key id, expiry and assumed-role user; never the secret or
     * token), picked from the answer without parsing it as XML, on the request's path.
     */
    @Override
    public ObjectNode responseElements(String action, String responseXml) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode credentials = out.putObject("credentials");
        putText(credentials, "accessKeyId", responseXml, "AccessKeyId");
        putText(credentials, "expiration", responseXml, "Expiration");
        if (responseXml.contains("<AssumedRoleUser>")) {
            ObjectNode user = out.putObject("assumedRoleUser");
            putText(user, "assumedRoleId", responseXml, "AssumedRoleId");
            putText(user, "arn", responseXml, "Arn");
        }
        putText(out, "packedPolicySize", responseXml, "PackedPolicySize");
        putText(out, "sourceIdentity", responseXml, "SourceIdentity");
        return out;
    }

    /** The text of the first {@code <tag>} of an answer this API wrote (no attributes, escaped text). */
    private static void putText(ObjectNode target, String field, String xml, String tag) {
        int start = xml.indexOf("<" + tag + ">");
        if (start < 0) {
            return;
        }
        start += tag.length() + 2;
        int end = xml.indexOf("</" + tag + ">", start);
        if (end > start) {
            target.put(field, xml.substring(start, end).replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&"));
        }
    }

    @Override
    public String eventSource() {
        return "sts.amazonaws.com";
    }

    @Override
    public boolean handles(String action) {
        return ACTIONS.contains(action);
    }

    @Override
    public Operation resolve(String action, QueryParameters params, Caller caller, IamView view) {
        return switch (action) {
            case "GetCallerIdentity" -> Operation.read("GetCallerIdentity", "sts:GetCallerIdentity", "*",
                    caller.accountId(), this::getCallerIdentity);
            case "GetSessionToken" -> getSessionToken(params, caller);
            case "AssumeRole" -> assumeRole(params, caller, view);
            default -> throw QueryApi.invalidAction(action, VERSION);
        };
    }

    private String getCallerIdentity(RequestScope scope) {
        Caller c = scope.caller();
        return QueryXml.response("GetCallerIdentity", NAMESPACE)
                .element("Arn", c.arn())
                .element("UserId", c.userId())
                .element("Account", c.accountId())
                .finish("GetCallerIdentity", scope.requestId());
    }

    // ---- GetSessionToken -------------------------------------------------------------------------

    private Operation getSessionToken(QueryParameters params, Caller caller) {
        PrincipalType type = caller.principal().type();
        boolean root = type == PrincipalType.ACCOUNT;
        if (caller.session().isPresent() || (type != PrincipalType.USER && !root)) {
            throw new QueryException("AccessDenied", "Cannot call GetSessionToken with session credentials", 403);
        }
        int max = root ? 3600 : 129_600;
        int seconds = params.integer("DurationSeconds", 900, max).orElse(root ? 3600 : 43_200);
        return Operation.read("GetSessionToken", "sts:GetSessionToken", "*", caller.accountId(), scope -> {
            Instant now = clock.instant();
            SessionClaims claims = new SessionClaims(tokens.newAccessKeyId(), tokens.newSecretAccessKey(),
                    SessionType.USER_SESSION, caller.accountId(), caller.arn(), caller.userId(), null, null,
                    caller.principal().tags(), Set.of(), null, List.of(), now, now.plusSeconds(seconds), false,
                    null, null);
            QueryXml xml = QueryXml.response("GetSessionToken", NAMESPACE);
            credentials(xml, claims);
            return xml.finish("GetSessionToken", scope.requestId());
        });
    }

    // ---- AssumeRole ------------------------------------------------------------------------------

    private Operation assumeRole(QueryParameters params, Caller caller, IamView view) {
        String roleArn = params.required("RoleArn");
        if (roleArn.length() < 20 || roleArn.length() > 2048 || !roleArn.startsWith("arn:")) {
            throw QueryException.invalid("RoleArn", roleArn, "Member must have length greater than or equal to 20");
        }
        String sessionName = params.required("RoleSessionName");
        if (sessionName.length() < 2 || sessionName.length() > 64) {
            throw QueryException.invalid("RoleSessionName", sessionName,
                    "Member must have length " + (sessionName.length() < 2 ? "greater than or equal to 2" : "less than or equal to 64"));
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw QueryException.invalid("RoleSessionName", sessionName,
                    "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        Integer duration = params.integer("DurationSeconds", 900, 43_200).orElse(null);
        String externalId = params.optional("ExternalId").orElse(null);
        if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
            throw QueryException.invalid("ExternalId", externalId, "Member must satisfy regular expression pattern: [\\w+=,.@:/-]*");
        }
        String sourceIdentity = params.optional("SourceIdentity").orElse(null);
        if (sourceIdentity != null && (!SOURCE_IDENTITY.matcher(sourceIdentity).matches()
                || sourceIdentity.toLowerCase(Locale.ROOT).startsWith("aws:"))) {
            throw QueryException.invalid("SourceIdentity", sourceIdentity, "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        String sessionPolicy = params.optional("Policy").orElse(null);
        if (sessionPolicy != null) {
            try {
                Policies.parse(sessionPolicy, PolicyKind.SESSION);
            } catch (PolicyValidationException e) {
                throw new QueryException("MalformedPolicyDocument", e.getMessage(), 400);
            }
        }
        List<String> policyArns = new ArrayList<>();
        for (Map<String, String> member : params.structures("PolicyArns")) {
            String arn = member.get("arn");
            if (arn == null || arn.length() < 20 || arn.length() > 2048) {
                throw QueryException.invalid("PolicyArns", arn, "Member must have length greater than or equal to 20");
            }
            policyArns.add(arn);
        }
        if (policyArns.size() > 10) {
            throw QueryException.invalid("PolicyArns", Integer.toString(policyArns.size()), "Member must have length less than or equal to 10");
        }
        Map<String, String> tags = sessionTags(params);
        Set<String> transitive = new LinkedHashSet<>(params.list("TransitiveTagKeys"));
        for (String key : transitive) {
            if (tags.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(key))) {
                throw new QueryException("InvalidParameterValue",
                        "The transitive tag key " + key + " must also be passed as a session tag", 400);
            }
        }

        // Role chaining: the caller's transitive tags and source identity carry over and cannot be changed.
        SessionClaims parent = caller.session().filter(s -> s.type() == SessionType.ASSUMED_ROLE).orElse(null);
        if (parent != null) {
            for (String key : parent.transitiveTagKeys()) {
                if (tags.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(key))) {
                    throw new QueryException("InvalidParameterValue",
                            "The session tag " + key + " is transitive from the calling session and cannot be set again", 400);
                }
                tags.put(key, parent.tags().get(key));
                transitive.add(key);
            }
            if (parent.sourceIdentity() != null) {
                if (sourceIdentity != null && !sourceIdentity.equals(parent.sourceIdentity())) {
                    throw new QueryException("InvalidParameterValue",
                            "The source identity of a role chain cannot be changed", 400);
                }
                sourceIdentity = parent.sourceIdentity();
            }
        }
        int packed = packedPercent(sessionPolicy, tags);
        if (packed > 100) {
            throw new QueryException("PackedPolicyTooLarge",
                    "Packed policy consumes " + packed + "% of allotted space, please use smaller policy.", 400);
        }

        Role role = view.roleByArn(roleArn).orElse(null);
        String resourceAccount = dev.portcullis.core.arn.Arn.tryParse(roleArn).map(a -> a.accountId()).orElse("");
        List<PolicyRef> trust = view.trustPolicy(roleArn).map(access::ref).map(List::of).orElse(List.of());
        Map<String, List<String>> context = new LinkedHashMap<>();
        context.put("sts:RoleSessionName", List.of(sessionName));
        if (externalId != null) {
            context.put("sts:ExternalId", List.of(externalId));
        }
        if (sourceIdentity != null) {
            context.put("sts:SourceIdentity", List.of(sourceIdentity));
        }
        if (!transitive.isEmpty()) {
            context.put("sts:TransitiveTagKeys", List.copyOf(transitive));
        }
        Map<String, String> roleTags = new LinkedHashMap<>();
        if (role != null) {
            role.tags().forEach(t -> roleTags.put(t.key(), t.value()));
        }
        String finalSourceIdentity = sourceIdentity;
        Operation op = new Operation("AssumeRole", "sts:AssumeRole", roleArn, resourceAccount, tags, roleTags, context,
                trust, false, false, scope -> {
                    if (role == null) {
                        throw new QueryException("AccessDenied", "User: " + caller.arn()
                                + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn, 403);
                    }
                    if (!tags.isEmpty()) {
                        requireAlso(scope, "sts:TagSession", roleArn, resourceAccount, tags, roleTags, context, trust);
                    }
                    if (finalSourceIdentity != null && (parent == null || parent.sourceIdentity() == null)) {
                        requireAlso(scope, "sts:SetSourceIdentity", roleArn, resourceAccount, tags, roleTags, context, trust);
                    }
                    return issue(scope, role, sessionName, duration, tags, transitive, sessionPolicy, policyArns,
                            finalSourceIdentity, parent != null, packed);
                });
        return op;
    }

    private void requireAlso(RequestScope scope, String action, String roleArn, String resourceAccount,
                             Map<String, String> tags, Map<String, String> roleTags, Map<String, List<String>> context,
                             List<PolicyRef> trust) {
        AuthorizationResult r = access.authorize(scope.caller(), action, roleArn, resourceAccount, tags, roleTags,
                context, trust, scope.request(), null, scope.view(), false);
        if (!r.allowed()) {
            throw new QueryException("AccessDenied", Denials.message(scope.caller().arn(), action, roleArn, r), 403);
        }
    }

    private String issue(RequestScope scope, Role role, String sessionName, Integer requested, Map<String, String> tags,
                         Set<String> transitive, String sessionPolicy, List<String> policyArns, String sourceIdentity,
                         boolean chained, int packed) {
        int seconds;
        if (requested == null) {
            seconds = 3600;
        } else if (chained && requested > CHAINED_MAX.toSeconds()) {
            throw new QueryException("ValidationError",
                    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", 400);
        } else if (requested > role.maxSessionDurationSeconds()) {
            throw new QueryException("ValidationError",
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400);
        } else {
            seconds = requested;
        }
        for (String arn : policyArns) {
            if (scope.view().managedPolicy(arn).isEmpty()) {
                throw new QueryException("InvalidParameterValue", "Policy " + arn + " does not exist or is not attachable.", 400);
            }
        }
        Instant now = clock.instant();
        Caller caller = scope.caller();
        // Only what the service asserted in signed headers travels with the session (aws:SourceArn/Account).
        String sourceArn = caller.source().sourceArn();
        String sourceAccount = caller.source().sourceAccount();
        SessionClaims claims = new SessionClaims(tokens.newAccessKeyId(), tokens.newSecretAccessKey(),
                SessionType.ASSUMED_ROLE, role.accountId(), role.arn(), role.roleId(), sessionName, sourceIdentity,
                tags, transitive, sessionPolicy, policyArns, now, now.plusSeconds(seconds), chained,
                sourceArn, sourceAccount);
        if (lastUsed != null) {
            lastUsed.roleUsed(role.accountId(), role.roleName());
        }
        QueryXml xml = QueryXml.response("AssumeRole", NAMESPACE);
        credentials(xml, claims);
        xml.start("AssumedRoleUser")
                .element("AssumedRoleId", claims.userId())
                .element("Arn", claims.sessionArn())
                .end("AssumedRoleUser");
        if (sessionPolicy != null || !tags.isEmpty()) {
            xml.element("PackedPolicySize", packed);
        }
        xml.element("SourceIdentity", sourceIdentity);
        return xml.finish("AssumeRole", scope.requestId());
    }

    private void credentials(QueryXml xml, SessionClaims claims) {
        xml.start("Credentials")
                .element("AccessKeyId", claims.accessKeyId())
                .element("SecretAccessKey", claims.secretAccessKey())
                .element("SessionToken", tokens.seal(claims))
                .element("Expiration", claims.expiresAt())
                .end("Credentials");
    }

    private static Map<String, String> sessionTags(QueryParameters params) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map<String, String> member : params.structures("Tags")) {
            String key = member.get("Key");
            String value = member.getOrDefault("Value", "");
            if (key == null || key.isEmpty() || key.length() > 128) {
                throw QueryException.invalid("Tags", key, "Member must have length between 1 and 128");
            }
            if (value.length() > 256) {
                throw QueryException.invalid("Tags", value, "Member must have length less than or equal to 256");
            }
            if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw new QueryException("InvalidParameterValue", "Tag keys may not begin with aws:", 400);
            }
            for (String existing : tags.keySet()) {
                if (existing.equalsIgnoreCase(key)) {
                    throw new QueryException("InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400);
                }
            }
            tags.put(key, value);
        }
        if (tags.size() > 50) {
            throw QueryException.invalid("Tags", Integer.toString(tags.size()), "Member must have length less than or equal to 50");
        }
        return tags;
    }

    /** The share of AWS's packed budget the session policy (without whitespace) and tags use, in percent. */
    static int packedPercent(String sessionPolicy, Map<String, String> tags) {
        int size = 0;
        if (sessionPolicy != null) {
            size += sessionPolicy.replaceAll("\\s+", "").length();
        }
        for (Map.Entry<String, String> t : tags.entrySet()) {
            size += t.getKey().length() + t.getValue().length();
        }
        return (int) Math.ceil(size * 100.0 / PACKED_BUDGET);
    }
}
