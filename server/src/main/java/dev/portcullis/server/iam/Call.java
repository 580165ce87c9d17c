package dev.portcullis.server.iam;

import dev.portcullis.core.policy.Policies;
import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.core.policy.PolicyValidationError;
import dev.portcullis.server.pipeline.Caller;
import dev.portcullis.server.pipeline.Operation;
import dev.portcullis.server.pipeline.RequestScope;
import dev.portcullis.server.query.QueryException;
import dev.portcullis.server.query.QueryParameters;
import dev.portcullis.server.query.QueryXml;
import dev.portcullis.state.IamException;
import dev.portcullis.state.IamState;
import dev.portcullis.state.model.Names;
import dev.portcullis.state.model.PrincipalKind;
import dev.portcullis.state.model.Tag;
import dev.portcullis.state.view.IamView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One IAM request being resolved: the action, its parameters, the caller and the snapshot it is
 * resolved against, with the validation helpers every resolver uses (AWS's member names and
 * wording) and the builders for the resulting {@link Operation}.
 */
record Call(String action, QueryParameters params, Caller caller, IamView view, IamState state) {

    private static final Pattern PATH_PREFIX = Pattern.compile("\\u002F[\\u0021-\\u007F]*");
    private static final Pattern POLICY_ARN = Pattern.compile("arn:aws:iam::(\\d{12}|aws):policy(/.*)?/([\\w+=,.@-]+)");

    /** A handler body: may throw {@link IamException}, which the pipeline maps to the wire. */
    @FunctionalInterface
    interface Body {
        String run(RequestScope scope) throws IamException;
    }

    String account() {
        return caller.accountId();
    }

    String iamAction() {
        return "iam:" + action;
    }

    String arn(PrincipalKind kind, String path, String name) {
        return Names.arn(account(), kind.arnType(), path, name);
    }

    Operation read(String resource, Body body) {
        return Operation.read(action, iamAction(), resource, account(), body::run);
    }

    /**
     * A read whose work grows with the account or the request (the simulator, the authorization
     * details): it changes nothing but runs on a worker thread, off the event loop.
     */
    Operation heavyRead(String resource, Body body) {
        return new Operation(action, iamAction(), resource, account(), null, null, null, null, true, true, body::run);
    }

    Operation write(String resource, Body body) {
        return Operation.write(action, iamAction(), resource, account(), body::run);
    }

    // ---- responses ----------------------------------------------------------------------------

    String respond(RequestScope scope, Consumer<QueryXml> result) {
        QueryXml xml = QueryXml.response(action, IamApi.NAMESPACE);
        result.accept(xml);
        return xml.finish(action, scope.requestId());
    }

    String empty(RequestScope scope) {
        return QueryXml.empty(action, IamApi.NAMESPACE, scope.requestId());
    }

    // ---- parameters ---------------------------------------------------------------------------

    String required(String name) {
        return params.required(name);
    }

    Optional<String> optional(String name) {
        return params.optional(name);
    }

    /** A required user, group or role name ({@code [\w+=,.@-]+}, 1–64). */
    String entityName(String param) {
        String value = required(param);
        check(() -> Names.entityName(lowerFirst(param), value));
        return value;
    }

    /** A required inline or managed policy name (1–128). */
    String policyName(String param) {
        String value = required(param);
        check(() -> Names.policyName(lowerFirst(param), value));
        return value;
    }

    /** An optional path, {@code /} when absent. */
    String path(String param) {
        Optional<String> value = optional(param);
        if (value.isEmpty()) {
            return "/";
        }
        String path = value.get();
        try {
            Names.path(path);
        } catch (IamException e) {
            throw new QueryException(e.code(), e.getMessage().replace("'path'", "'" + lowerFirst(param) + "'"),
                    e.httpStatus());
        }
        return path;
    }

    /** An optional {@code PathPrefix}, {@code /} when absent. */
    String pathPrefix() {
        String prefix = optional("PathPrefix").orElse("/");
        if (prefix.isEmpty() || prefix.length() > 512 || !PATH_PREFIX.matcher(prefix).matches()) {
            throw QueryException.invalid("PathPrefix", prefix,
                    "Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*");
        }
        return prefix;
    }

    /** A required managed policy ARN. */
    String policyArn(String param) {
        String value = required(param);
        if (value.length() < 20 || value.length() > 2048) {
            throw QueryException.invalid(param, value, "Member must have length between 20 and 2048");
        }
        if (!POLICY_ARN.matcher(value).matches()) {
            throw new QueryException("InvalidInput", "ARN " + value + " is not valid.", 400);
        }
        return value;
    }

    /** A required policy document: 1–131072 characters (the engine checks the real size quota). */
    String document(String param) {
        String value = required(param);
        if (value.isEmpty() || value.length() > 131_072) {
            throw QueryException.invalid(param, value, "Member must have length between 1 and 131072");
        }
        return value;
    }

    /**
     * Validates a policy document with the policy engine's grammar (AWS's {@code MalformedPolicyDocument}
     * and {@code LimitExceeded} wording) before it reaches the model.
     */
    static void validatePolicy(String document, PolicyKind kind) throws IamException {
        List<PolicyValidationError> errors = Policies.validate(document, kind);
        if (!errors.isEmpty()) {
            PolicyValidationError e = errors.get(0);
            throw new IamException(e.code(), e.message(), PolicyValidationError.LIMIT_EXCEEDED.equals(e.code()) ? 409 : 400);
        }
    }

    Optional<String> description() {
        Optional<String> d = optional("Description");
        d.ifPresent(v -> check(() -> Names.description(v)));
        return d;
    }

    /** {@code Tags.member.N.Key/Value}; both members are required by AWS. */
    List<Tag> tags() {
        List<Tag> tags = new ArrayList<>();
        List<Map<String, String>> members = params.structures("Tags");
        for (int i = 0; i < members.size(); i++) {
            Map<String, String> m = members.get(i);
            String key = m.get("Key");
            String value = m.get("Value");
            if (key == null) {
                throw QueryException.missing("Tags.member." + (i + 1) + ".Key");
            }
            if (value == null) {
                throw QueryException.missing("Tags.member." + (i + 1) + ".Value");
            }
            tags.add(new Tag(key, value));
        }
        check(() -> Names.tags(tags));
        return tags;
    }

    /** The tags as {@code aws:RequestTag/…} sees them. */
    static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    /** Runs a model-side validation and answers its {@code ValidationError} before authorization. */
    static void check(Check c) {
        try {
            c.run();
        } catch (IamException e) {
            throw new QueryException(e.code(), e.getMessage(), e.httpStatus());
        }
    }

    @FunctionalInterface
    interface Check {
        void run() throws IamException;
    }

    static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
