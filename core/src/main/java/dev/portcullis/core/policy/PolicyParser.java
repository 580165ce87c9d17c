package dev.portcullis.core.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.portcullis.core.arn.Arn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON → validated {@link StatementModel}s, collecting every error with its JSON pointer, then
 * hands them to {@link PolicyCompiler}. Error messages are IAM's {@code MalformedPolicyDocument}
 * wording where IAM has one ("IAM JSON policy element reference", "IAM JSON policy grammar").
 */
final class PolicyParser {

    static final String V2012 = "2012-10-17";
    static final String V2008 = "2008-10-17";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(100).build());
    }

    private static final Set<String> TOP = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT = Set.of(
            "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");

    private final String document;
    private final PolicyKind kind;
    private final List<PolicyValidationError> errors = new ArrayList<>();
    private String version = V2008;

    private PolicyParser(String document, PolicyKind kind) {
        this.document = document;
        this.kind = kind;
    }

    /** Result of parsing: a compiled policy, or the errors (never both). */
    record Result(Policy policy, List<PolicyValidationError> errors) {}

    static Result parse(String document, PolicyKind kind) {
        if (document == null || kind == null) {
            return new Result(null, List.of(PolicyValidationError.malformed("Syntax errors in policy.", "")));
        }
        return new PolicyParser(document, kind).run();
    }

    /** Documents this long are not parsed at all (the size quota already rejects them): a cheap guard against huge inputs. */
    static final int MAX_PARSED_LENGTH = 1 << 20;

    private Result run() {
        checkSize();
        if (document.length() > MAX_PARSED_LENGTH) {
            errors.add(PolicyValidationError.malformed("Syntax errors in policy.", ""));
            return new Result(null, errors);
        }
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            errors.add(PolicyValidationError.malformed("Syntax errors in policy.", ""));
            return new Result(null, errors);
        }
        if (root == null || !root.isObject()) {
            errors.add(PolicyValidationError.malformed("Syntax errors in policy.", ""));
            return new Result(null, errors);
        }
        String id = null;
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP.contains(f)) {
                errors.add(PolicyValidationError.malformed("Syntax errors in policy. Unknown field " + f + ".", "/" + escape(f)));
            }
        }
        JsonNode v = root.get("Version");
        if (v != null) {
            if (v.isTextual() && (v.asText().equals(V2012) || v.asText().equals(V2008))) {
                version = v.asText();
            } else {
                errors.add(PolicyValidationError.malformed("The policy failed legacy parsing", "/Version"));
            }
        }
        JsonNode idNode = root.get("Id");
        if (idNode != null) {
            if (idNode.isTextual()) {
                id = idNode.asText();
            } else {
                errors.add(PolicyValidationError.malformed("Syntax errors in policy.", "/Id"));
            }
        }
        List<StatementModel> statements = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        JsonNode st = root.get("Statement");
        if (st == null) {
            errors.add(PolicyValidationError.malformed("Syntax errors in policy. Missing required field Statement.", "/Statement"));
        } else if (st.isObject()) {
            statement(st, "/Statement", statements, locations);
        } else if (st.isArray()) {
            for (int i = 0; i < st.size(); i++) {
                statement(st.get(i), "/Statement/" + i, statements, locations);
            }
        } else {
            errors.add(PolicyValidationError.malformed("Syntax errors in policy.", "/Statement"));
        }
        checkSids(statements, locations);
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(PolicyCompiler.compile(document, kind, version, id, statements), List.of());
    }

    private void checkSize() {
        int size = 0;
        for (int i = 0; i < document.length(); i++) {
            if (!Character.isWhitespace(document.charAt(i))) {
                size++;
            }
        }
        if (size > kind.maxSize()) {
            errors.add(new PolicyValidationError(PolicyValidationError.LIMIT_EXCEEDED,
                    "Cannot exceed quota for " + kind.quotaName() + ": " + kind.maxSize(), ""));
        }
    }

    private void checkSids(List<StatementModel> statements, List<String> locations) {
        Set<String> seen = new HashSet<>();
        boolean iam = kind != PolicyKind.RESOURCE && kind != PolicyKind.SERVICE_CONTROL && kind != PolicyKind.SESSION;
        for (int i = 0; i < statements.size(); i++) {
            String sid = statements.get(i).sid();
            if (sid == null) {
                continue;
            }
            if (iam && !sid.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
                errors.add(PolicyValidationError.malformed("Statement IDs (SID) must be alpha-numeric. "
                        + "Check that your input satisfies the regular expression [0-9A-Za-z]*", locations.get(i) + "/Sid"));
            }
            if (!seen.add(sid)) {
                errors.add(PolicyValidationError.malformed("Statement IDs (SID) in a single policy must be unique.",
                        locations.get(i) + "/Sid"));
            }
        }
    }

    private void statement(JsonNode s, String at, List<StatementModel> out, List<String> locations) {
        if (s == null || !s.isObject()) {
            errors.add(PolicyValidationError.malformed("Syntax errors in policy.", at));
            return;
        }
        int before = errors.size();
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!STATEMENT.contains(f)) {
                errors.add(PolicyValidationError.malformed("Syntax errors in policy. Unknown field " + f + ".", at + "/" + escape(f)));
            }
        }
        String sid = null;
        JsonNode sidNode = s.get("Sid");
        if (sidNode != null) {
            if (sidNode.isTextual()) {
                sid = sidNode.asText();
            } else {
                errors.add(PolicyValidationError.malformed("Syntax errors in policy.", at + "/Sid"));
            }
        }
        Effect effect = null;
        JsonNode e = s.get("Effect");
        if (e == null) {
            errors.add(PolicyValidationError.malformed("Missing required field Effect.", at + "/Effect"));
        } else if (e.isTextual() && e.asText().equals("Allow")) {
            effect = Effect.ALLOW;
        } else if (e.isTextual() && e.asText().equals("Deny")) {
            effect = Effect.DENY;
        } else {
            errors.add(PolicyValidationError.malformed("Invalid effect: " + e.asText(), at + "/Effect"));
        }

        // Principal / NotPrincipal
        JsonNode p = s.get("Principal");
        JsonNode np = s.get("NotPrincipal");
        Map<String, List<String>> principal = null;
        boolean notPrincipal = np != null;
        if (p != null && np != null) {
            errors.add(PolicyValidationError.malformed("Statement cannot contain both Principal and NotPrincipal.", at + "/NotPrincipal"));
        } else if (p != null || np != null) {
            String name = p != null ? "Principal" : "NotPrincipal";
            if (!kind.requiresPrincipal()) {
                errors.add(PolicyValidationError.malformed("Policy document should not specify a principal.", at + "/" + name));
            } else {
                principal = principal(p != null ? p : np, at + "/" + name);
            }
        } else if (kind.requiresPrincipal()) {
            errors.add(PolicyValidationError.malformed("Missing required field Principal.", at + "/Principal"));
        }

        // Action / NotAction
        JsonNode a = s.get("Action");
        JsonNode na = s.get("NotAction");
        List<String> actions = List.of();
        if (a != null && na != null) {
            errors.add(PolicyValidationError.malformed("Statement cannot contain both Action and NotAction.", at + "/NotAction"));
        } else if (a == null && na == null) {
            errors.add(PolicyValidationError.malformed("Policy statement must contain actions.", at + "/Action"));
        } else {
            String name = a != null ? "Action" : "NotAction";
            actions = strings(a != null ? a : na, at + "/" + name);
            for (int i = 0; i < actions.size(); i++) {
                String act = actions.get(i);
                int colon = act.indexOf(':');
                if (!act.equals("*") && (colon <= 0 || colon == act.length() - 1 || act.indexOf(':', colon + 1) >= 0)) {
                    errors.add(PolicyValidationError.malformed(
                            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", at + "/" + name + "/" + i));
                }
            }
        }

        // Resource / NotResource
        JsonNode r = s.get("Resource");
        JsonNode nr = s.get("NotResource");
        List<String> resources = null;
        if (r != null && nr != null) {
            errors.add(PolicyValidationError.malformed("Statement cannot contain both Resource and NotResource.", at + "/NotResource"));
        } else if (r == null && nr == null) {
            if (kind.requiresResource()) {
                errors.add(PolicyValidationError.malformed("Policy statement must contain resources.", at + "/Resource"));
            }
        } else {
            String name = r != null ? "Resource" : "NotResource";
            if (!kind.requiresResource()) {
                errors.add(PolicyValidationError.malformed("Has prohibited field " + name + ".", at + "/" + name));
            } else {
                resources = strings(r != null ? r : nr, at + "/" + name);
                for (int i = 0; i < resources.size(); i++) {
                    String res = resources.get(i);
                    if (!res.equals("*") && !looksLikeArn(res)) {
                        errors.add(PolicyValidationError.malformed(
                                "Resource " + res + " must be in ARN format or \"*\".", at + "/" + name + "/" + i));
                    }
                }
            }
        }

        List<StatementModel.ConditionModel> conditions = conditions(s.get("Condition"), at + "/Condition");
        if (errors.size() == before) {
            out.add(new StatementModel(sid, effect, principal, notPrincipal, actions, na != null,
                    resources, nr != null, conditions));
            locations.add(at);
        } else if (sid != null) {
            // Keep the Sid for uniqueness checks even though the statement had errors.
            out.add(new StatementModel(sid, effect, null, false, List.of(), false, null, false, List.of()));
            locations.add(at);
        }
    }

    private static boolean looksLikeArn(String s) {
        if (!s.startsWith("arn:")) {
            return false;
        }
        String[] parts = s.split(":", 6);
        return parts.length == 6 && !parts[1].isEmpty() && !parts[2].isEmpty();
    }

    private Map<String, List<String>> principal(JsonNode node, String at) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node.isTextual()) {
            if (node.asText().equals("*")) {
                out.put("*", List.of("*"));
            } else {
                errors.add(PolicyValidationError.malformed("Invalid principal in policy: " + node.asText(), at));
            }
            return out;
        }
        if (!node.isObject() || node.size() == 0) {
            errors.add(PolicyValidationError.malformed("Syntax errors in policy.", at));
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String type = e.getKey();
            String where = at + "/" + escape(type);
            if (!PRINCIPAL_TYPES.contains(type)) {
                errors.add(PolicyValidationError.malformed("Invalid principal in policy: \"" + type + "\"", where));
                continue;
            }
            List<String> values = strings(e.getValue(), where);
            for (String v : values) {
                if (!validPrincipal(type, v)) {
                    errors.add(PolicyValidationError.malformed(
                            "Invalid principal in policy: \"" + type + "\":\"" + v + "\"", where));
                }
            }
            out.put(type, values);
        }
        return out;
    }

    private static boolean validPrincipal(String type, String v) {
        if (v.isEmpty()) {
            return false;
        }
        switch (type) {
            case "AWS": {
                if (v.equals("*") || PrincipalMatcher.isAccountId(v)) {
                    return true;
                }
                if (v.indexOf('*') >= 0 || v.indexOf('?') >= 0) {
                    return false; // partial wildcards never name a principal
                }
                Arn arn = Arn.tryParse(v).orElse(null);
                if (arn == null || !PrincipalMatcher.isAccountId(arn.accountId())) {
                    return false;
                }
                if (arn.service().equals("iam")) {
                    String t = arn.resourceType();
                    return arn.resource().equals("root") || t.equals("user") || t.equals("role");
                }
                if (arn.service().equals("sts")) {
                    String t = arn.resourceType();
                    return t.equals("assumed-role") || t.equals("federated-user");
                }
                return false;
            }
            case "Service":
                return v.indexOf('*') < 0 && v.indexOf('.') > 0;
            default:
                return v.indexOf('*') < 0;
        }
    }

    /** A string or a non-empty array of strings. */
    private List<String> strings(JsonNode node, String at) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (node.isArray() && node.size() > 0) {
            List<String> out = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                JsonNode v = node.get(i);
                if (v.isTextual()) {
                    out.add(v.asText());
                } else {
                    errors.add(PolicyValidationError.malformed("Syntax errors in policy.", at + "/" + i));
                }
            }
            return out;
        }
        errors.add(PolicyValidationError.malformed("Syntax errors in policy.", at));
        return List.of();
    }

    private List<StatementModel.ConditionModel> conditions(JsonNode node, String at) {
        if (node == null) {
            return List.of();
        }
        if (!node.isObject()) {
            errors.add(PolicyValidationError.malformed("Syntax errors in policy.", at));
            return List.of();
        }
        List<StatementModel.ConditionModel> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> opEntry = it.next();
            String opName = opEntry.getKey();
            String opAt = at + "/" + escape(opName);
            ConditionOperator.Parsed op = ConditionOperator.parse(opName);
            if (op == null) {
                errors.add(PolicyValidationError.malformed("Invalid Condition type : " + opName + ".", opAt));
                continue;
            }
            JsonNode block = opEntry.getValue();
            if (!block.isObject() || block.size() == 0) {
                errors.add(PolicyValidationError.malformed("Syntax errors in policy.", opAt));
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> kt = block.fields(); kt.hasNext(); ) {
                Map.Entry<String, JsonNode> keyEntry = kt.next();
                String key = keyEntry.getKey();
                String keyAt = opAt + "/" + escape(key);
                int colon = key.indexOf(':');
                if (colon <= 0 || colon == key.length() - 1) {
                    errors.add(PolicyValidationError.malformed(
                            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", keyAt));
                    continue;
                }
                List<String> values = conditionValues(keyEntry.getValue(), keyAt);
                boolean variables = version.equals(V2012) && op.operator().allowsVariables();
                for (int i = 0; i < values.size(); i++) {
                    if (CompiledCondition.compileValue(op.operator().base(), values.get(i), variables) == null) {
                        errors.add(PolicyValidationError.malformed("Invalid Condition value for " + opName + ": "
                                + abbreviate(values.get(i)) + ".", keyAt + (values.size() > 1 ? "/" + i : "")));
                    }
                }
                out.add(new StatementModel.ConditionModel(op.json(), key, values));
            }
        }
        return out;
    }

    /** Condition values may be strings, numbers or booleans, alone or in a non-empty array. */
    private List<String> conditionValues(JsonNode node, String at) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            if (node.size() == 0) {
                errors.add(PolicyValidationError.malformed("Syntax errors in policy.", at));
            }
            for (int i = 0; i < node.size(); i++) {
                scalar(node.get(i), at + "/" + i, out);
            }
        } else {
            scalar(node, at, out);
        }
        return out;
    }

    private void scalar(JsonNode v, String at, List<String> out) {
        if (v.isTextual() || v.isNumber() || v.isBoolean()) {
            out.add(v.asText());
        } else {
            errors.add(PolicyValidationError.malformed("Syntax errors in policy.", at));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    /** JSON pointer escaping (RFC 6901). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
