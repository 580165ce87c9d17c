package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.core.arn.Arn;
import dev.portcullis.core.policy.AuthorizationRequest;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.ConditionTrace;
import dev.portcullis.core.policy.Policies;
import dev.portcullis.core.policy.PolicyEngine;
import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.core.policy.PolicyRef;
import dev.portcullis.core.policy.PolicySet;
import dev.portcullis.core.policy.PolicyValidationError;
import dev.portcullis.core.policy.PolicyValidationException;
import dev.portcullis.core.policy.RequestPrincipal;
import dev.portcullis.core.policy.StatementRef;
import dev.portcullis.core.policy.StatementTrace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis policy simulate}: evaluates one request against policy files with the same engine
 * the server uses, and explains the decision. Policies are named by their file name in the explanation.
 * Exit status 0 when allowed, 1 when denied, 2 on bad input.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a request against policy files and explain the decision.")
final class PolicySimulateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--identity", paramLabel = "FILE", description = "Identity-based policy (repeatable).")
    List<Path> identity = new ArrayList<>();

    @Option(names = "--boundary", paramLabel = "FILE", description = "Permissions boundary.")
    Path boundary;

    @Option(names = "--session-policy", paramLabel = "FILE", description = "Session policy (repeatable).")
    List<Path> session = new ArrayList<>();

    @Option(names = "--resource-policy", paramLabel = "FILE", description = "Resource-based policy (repeatable).")
    List<Path> resourcePolicies = new ArrayList<>();

    @Option(names = "--trust-policy", paramLabel = "FILE", description = "Role trust policy (for sts:AssumeRole).")
    Path trust;

    @Option(names = "--scp", paramLabel = "FILE", description = "Service control policy; each one is its own organization level (repeatable).")
    List<Path> scps = new ArrayList<>();

    @Option(names = "--principal", paramLabel = "ARN",
            description = "Caller: a user ARN, a role ARN (simulated as a session of it), an assumed-role ARN, or an account root ARN.")
    String principal;

    @Option(names = "--session-name", defaultValue = "simulated", description = "Session name when --principal is a role (default ${DEFAULT-VALUE}).")
    String sessionName;

    @Option(names = "--service-principal", paramLabel = "NAME", description = "Caller is an AWS service principal, e.g. lambda.amazonaws.com.")
    String servicePrincipal;

    @Option(names = "--principal-tag", paramLabel = "KEY=VALUE", description = "Principal tag (repeatable).")
    Map<String, String> principalTags = new LinkedHashMap<>();

    @Option(names = "--action", required = true, description = "Action, e.g. s3:GetObject.")
    String action;

    @Option(names = "--resource", defaultValue = "*", description = "Resource ARN (default ${DEFAULT-VALUE}).")
    String resource;

    @Option(names = "--resource-account", description = "Account owning the resource (default: from the resource ARN, else the caller's).")
    String resourceAccount;

    @Option(names = "--resource-tag", paramLabel = "KEY=VALUE", description = "Resource tag (repeatable).")
    Map<String, String> resourceTags = new LinkedHashMap<>();

    @Option(names = "--request-tag", paramLabel = "KEY=VALUE", description = "Tag set by the request (repeatable).")
    Map<String, String> requestTags = new LinkedHashMap<>();

    @Option(names = "--context", paramLabel = "KEY=VALUE", description = "Context key value; repeat a key for a multivalued key.")
    List<String> context = new ArrayList<>();

    @Option(names = "--context-file", paramLabel = "FILE", description = "JSON object of context keys to a string or an array of strings.")
    Path contextFile;

    @Option(names = "--time", description = "Request time, ISO 8601 (default: now).")
    String time;

    @Option(names = "--json", description = "Print the decision and explanation as JSON.")
    boolean json;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AuthorizationRequest request;
        try {
            request = request();
        } catch (BadInput e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        AuthorizationResult result = PolicyEngine.explain(request);
        if (json) {
            out.println(toJson(request, result).toPrettyString());
        } else {
            printText(out, request, result);
        }
        out.flush();
        return result.allowed() ? 0 : 1;
    }

    private AuthorizationRequest request() throws BadInput {
        PolicySet.Builder set = PolicySet.builder();
        for (Path p : identity) {
            set.identity(load(p, PolicyKind.INLINE_ROLE));
        }
        if (boundary != null) {
            set.permissionsBoundary(load(boundary, PolicyKind.MANAGED));
        }
        for (Path p : session) {
            set.session(load(p, PolicyKind.SESSION));
        }
        for (Path p : resourcePolicies) {
            set.resource(load(p, PolicyKind.RESOURCE));
        }
        if (trust != null) {
            set.resource(load(trust, PolicyKind.TRUST));
        }
        for (Path p : scps) {
            set.serviceControlLevel(List.of(load(p, PolicyKind.SERVICE_CONTROL)));
        }
        RequestPrincipal caller = principal();
        AuthorizationRequest.Builder b = AuthorizationRequest.builder()
                .principal(caller).action(action).resource(resource).policies(set.build());
        try {
            b.time(time == null ? Instant.now() : Instant.parse(time));
        } catch (RuntimeException e) {
            throw new BadInput("--time: not an ISO 8601 instant: " + time);
        }
        String account = resourceAccount;
        if (account == null) {
            account = Arn.tryParse(resource).map(Arn::accountId).filter(a -> !a.isEmpty()).orElse(caller.accountId());
        }
        b.resourceAccount(account);
        resourceTags.forEach(b::resourceTag);
        requestTags.forEach(b::requestTag);
        Map<String, List<String>> ctx = new LinkedHashMap<>();
        if (contextFile != null) {
            JsonNode n;
            try {
                n = mapper.readTree(Files.readString(contextFile, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                throw new BadInput(contextFile + ": cannot read a JSON object: " + e.getMessage());
            }
            if (n == null || !n.isObject()) {
                throw new BadInput(contextFile + ": expected a JSON object of context keys");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> values = new ArrayList<>();
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(e.getValue().asText());
                }
                ctx.put(e.getKey(), values);
            }
        }
        for (String kv : context) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new BadInput("--context: expected KEY=VALUE, got " + kv);
            }
            ctx.computeIfAbsent(kv.substring(0, eq), k -> new ArrayList<>()).add(kv.substring(eq + 1));
        }
        ctx.forEach(b::context);
        return b.build();
    }

    private RequestPrincipal principal() throws BadInput {
        if (servicePrincipal != null) {
            return RequestPrincipal.service(servicePrincipal);
        }
        if (principal == null) {
            return RequestPrincipal.anonymous();
        }
        Arn arn = Arn.tryParse(principal).orElseThrow(() -> new BadInput("--principal: not an ARN: " + principal));
        String type = arn.resourceType();
        try {
            if (arn.service().equals("iam") && arn.resource().equals("root")) {
                return RequestPrincipal.root(arn.accountId());
            }
            if (arn.service().equals("iam") && type.equals("user")) {
                return RequestPrincipal.user(principal, "AIDASIMULATED", principalTags);
            }
            if (arn.service().equals("iam") && type.equals("role")) {
                return RequestPrincipal.assumedRole(principal, "AROASIMULATED", sessionName, principalTags);
            }
            if (arn.service().equals("sts") && type.equals("assumed-role")) {
                String[] parts = arn.resourceId().split("/", 2);
                if (parts.length == 2) {
                    return RequestPrincipal.assumedRole("arn:" + arn.partition() + ":iam::" + arn.accountId() + ":role/" + parts[0],
                            "AROASIMULATED", parts[1], principalTags);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new BadInput("--principal: " + e.getMessage());
        }
        throw new BadInput("--principal: expected a user, role, assumed-role or root ARN: " + principal);
    }

    private PolicyRef load(Path file, PolicyKind kind) throws BadInput {
        String doc;
        try {
            doc = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new BadInput(file + ": cannot read: " + e.getMessage());
        }
        try {
            return new PolicyRef(file.getFileName().toString(), Policies.parse(doc, kind));
        } catch (PolicyValidationException e) {
            StringBuilder sb = new StringBuilder(file + ": not a valid " + kind + " policy:");
            for (PolicyValidationError error : e.errors()) {
                sb.append("\n  ").append(error);
            }
            throw new BadInput(sb.toString());
        }
    }

    private static void printText(PrintWriter out, AuthorizationRequest request, AuthorizationResult result) {
        out.println("Decision: " + result.decision().simulatorName() + " (" + result.decision() + ")");
        out.println("Reason:   " + result.reason());
        out.println("Request:  " + request.principal().arn() + " " + request.action() + " " + request.resource());
        if (!result.decisiveStatements().isEmpty()) {
            out.println("Decisive statements:");
            for (StatementRef s : result.decisiveStatements()) {
                out.println("  " + s.label() + " [" + s.role() + ", " + s.effect().json() + "]");
            }
        }
        if (!result.missingContextKeys().isEmpty()) {
            out.println("Missing context values: " + String.join(", ", result.missingContextKeys()));
        }
        out.println("Evaluated statements:");
        for (StatementTrace t : result.evaluatedStatements()) {
            out.println("  " + (t.applies() ? "APPLIES " : "no      ") + t.statement().label() + " [" + t.statement().role() + ", "
                    + t.statement().effect().json() + "] action=" + yes(t.actionMatched()) + " resource=" + yes(t.resourceMatched())
                    + " principal=" + t.principal());
            for (ConditionTrace c : t.conditions()) {
                out.println("      " + (c.matched() ? "✓ " : "✗ ") + c.operator() + " " + c.key() + " " + c.values() + ": " + c.reason());
            }
        }
    }

    private static String yes(boolean b) {
        return b ? "match" : "no-match";
    }

    private ObjectNode toJson(AuthorizationRequest request, AuthorizationResult result) {
        ObjectNode root = mapper.createObjectNode();
        root.put("decision", result.decision().name());
        root.put("evalDecision", result.decision().simulatorName());
        root.put("reason", result.reason());
        ObjectNode req = root.putObject("request");
        req.put("principal", request.principal().arn());
        req.put("action", request.action());
        req.put("resource", request.resource());
        req.put("resourceAccount", request.resourceAccount());
        ArrayNode decisive = root.putArray("decisiveStatements");
        for (StatementRef s : result.decisiveStatements()) {
            decisive.add(ref(s));
        }
        ArrayNode missing = root.putArray("missingContextValues");
        result.missingContextKeys().forEach(missing::add);
        ArrayNode evaluated = root.putArray("evaluatedStatements");
        for (StatementTrace t : result.evaluatedStatements()) {
            ObjectNode n = evaluated.addObject();
            n.set("statement", ref(t.statement()));
            n.put("applies", t.applies());
            n.put("actionMatched", t.actionMatched());
            n.put("resourceMatched", t.resourceMatched());
            n.put("principal", t.principal());
            ArrayNode cs = n.putArray("conditions");
            for (ConditionTrace c : t.conditions()) {
                ObjectNode cn = cs.addObject();
                cn.put("operator", c.operator());
                cn.put("key", c.key());
                ArrayNode vs = cn.putArray("values");
                c.values().forEach(vs::add);
                cn.put("matched", c.matched());
                cn.put("reason", c.reason());
            }
        }
        return root;
    }

    private ObjectNode ref(StatementRef s) {
        ObjectNode n = mapper.createObjectNode();
        n.put("policy", s.policyId());
        n.put("role", s.role().name());
        n.put("index", s.index());
        if (s.sid() != null) {
            n.put("sid", s.sid());
        }
        n.put("effect", s.effect().json());
        return n;
    }

    /** Bad user input: printed as one message, exit status 2. */
    private static final class BadInput extends Exception {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message, null, false, false);
        }
    }
}
