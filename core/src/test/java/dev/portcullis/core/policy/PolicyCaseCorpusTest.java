package dev.portcullis.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every evaluation case under {@code src/test/resources/policy-cases/*.json}: a policy set and a
 * request, the expected decision and decisive statements. The file format is described in
 * {@code policy-cases/README.md}. Each case runs through both {@link PolicyEngine#evaluate} and
 * {@link PolicyEngine#explain}, which must agree.
 */
class PolicyCaseCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        Path dir = Paths.get(PolicyCaseCorpusTest.class.getResource("/policy-cases").toURI());
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode file;
                try (InputStream in = Files.newInputStream(f)) {
                    file = JSON.readTree(in);
                }
                JsonNode cases = file.get("cases");
                for (int i = 0; i < cases.size(); i++) {
                    JsonNode c = cases.get(i);
                    String name = f.getFileName() + " #" + i + ": " + c.path("name").asText();
                    out.add(Arguments.of(Named.of(name, new CaseFile(file, c))));
                }
            }
        }
        return out.stream();
    }

    record CaseFile(JsonNode file, JsonNode c) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesAsTheCaseSays(CaseFile cf) throws Exception {
        JsonNode c = cf.c();
        JsonNode defaults = cf.file().path("defaults");
        Map<String, PolicyRef> named = namedPolicies(cf.file().path("policies"));

        AuthorizationRequest.Builder b = AuthorizationRequest.builder()
                .principal(principal(pick(c, defaults, "principal")))
                .action(pick(c, defaults, "action").asText())
                .time(Instant.parse(pick(c, defaults, "time").asText("2024-06-01T12:00:00Z")));
        JsonNode res = pick(c, defaults, "resource");
        if (!res.isMissingNode()) {
            b.resource(res.asText());
        }
        JsonNode acct = pick(c, defaults, "resourceAccount");
        if (!acct.isMissingNode()) {
            b.resourceAccount(acct.asText());
        }
        mergedObject(defaults.path("context"), c.path("context")).forEach((k, v) -> b.context(k, values(v)));
        mergedObject(defaults.path("requestTags"), c.path("requestTags")).forEach((k, v) -> b.requestTag(k, v.asText()));
        mergedObject(defaults.path("resourceTags"), c.path("resourceTags")).forEach((k, v) -> b.resourceTag(k, v.asText()));
        b.policies(policySet(c, defaults, named));
        AuthorizationRequest request = b.build();

        AuthorizationResult fast = PolicyEngine.evaluate(request);
        AuthorizationResult explained = PolicyEngine.explain(request);
        String why = explained.reason() + "\n" + explained.evaluatedStatements();
        JsonNode expect = c.get("expect");
        assertThat(fast.decision()).as(why).isEqualTo(Decision.valueOf(expect.get("decision").asText()));
        assertThat(explained.decision()).as("explain agrees with evaluate").isEqualTo(fast.decision());
        if (expect.has("decisive")) {
            List<String> labels = fast.decisiveStatements().stream().map(StatementRef::label).toList();
            List<String> expected = new ArrayList<>();
            expect.get("decisive").forEach(n -> expected.add(n.asText()));
            if (fast.decision() == Decision.EXPLICIT_DENY) {
                assertThat(explained.decisiveStatements().stream().map(StatementRef::label).toList()).as(why).containsAll(expected);
            } else {
                assertThat(labels).as(why).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
        if (expect.has("missingContextKeys")) {
            List<String> expected = new ArrayList<>();
            expect.get("missingContextKeys").forEach(n -> expected.add(n.asText()));
            assertThat(explained.missingContextKeys()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static JsonNode pick(JsonNode c, JsonNode defaults, String field) {
        return c.has(field) ? c.get(field) : defaults.path(field);
    }

    private static Map<String, JsonNode> mergedObject(JsonNode a, JsonNode b) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode n : List.of(a, b)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    private static List<String> values(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(x -> out.add(x.asText()));
        } else {
            out.add(v.asText());
        }
        return out;
    }

    static Map<String, PolicyRef> namedPolicies(JsonNode policies) throws PolicyValidationException {
        Map<String, PolicyRef> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = policies.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = e.getValue();
            PolicyKind kind = PolicyKind.valueOf(p.path("kind").asText("MANAGED"));
            out.put(e.getKey(), new PolicyRef(e.getKey(), Policies.parse(p.get("document").toString(), kind)));
        }
        return out;
    }

    private static PolicySet policySet(JsonNode c, JsonNode defaults, Map<String, PolicyRef> named) throws PolicyValidationException {
        PolicySet.Builder set = PolicySet.builder();
        if (c.has("condition")) {
            // Compact form for operator tables: one identity policy "p" allowing everything under the condition.
            String doc = "{\"Version\":\"" + c.path("version").asText("2012-10-17") + "\",\"Statement\":{\"Effect\":\"Allow\","
                    + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":" + c.get("condition") + "}}";
            set.identity(new PolicyRef("p", Policies.parse(doc, PolicyKind.MANAGED)));
            return set.build();
        }
        JsonNode ps = pick(c, defaults, "set");
        for (JsonNode n : ps.path("identity")) {
            set.identity(ref(n, named, PolicyKind.MANAGED));
        }
        if (ps.has("boundary")) {
            set.permissionsBoundary(ref(ps.get("boundary"), named, PolicyKind.MANAGED));
        }
        for (JsonNode n : ps.path("session")) {
            set.session(ref(n, named, PolicyKind.SESSION));
        }
        for (JsonNode n : ps.path("resource")) {
            set.resource(ref(n, named, PolicyKind.RESOURCE));
        }
        for (JsonNode level : ps.path("scp")) {
            List<PolicyRef> l = new ArrayList<>();
            for (JsonNode n : level) {
                l.add(ref(n, named, PolicyKind.SERVICE_CONTROL));
            }
            set.serviceControlLevel(l);
        }
        for (JsonNode level : ps.path("rcp")) {
            List<PolicyRef> l = new ArrayList<>();
            for (JsonNode n : level) {
                l.add(ref(n, named, PolicyKind.RESOURCE));
            }
            set.resourceControlLevel(l);
        }
        return set.build();
    }

    private static PolicyRef ref(JsonNode n, Map<String, PolicyRef> named, PolicyKind defaultKind) throws PolicyValidationException {
        if (n.isTextual()) {
            PolicyRef r = named.get(n.asText());
            if (r == null) {
                throw new IllegalArgumentException("unknown policy " + n.asText());
            }
            return r;
        }
        return new PolicyRef(n.path("id").asText("inline"), Policies.parse(n.get("document").toString(),
                PolicyKind.valueOf(n.path("kind").asText(defaultKind.name()))));
    }

    static RequestPrincipal principal(JsonNode p) {
        Map<String, String> tags = new LinkedHashMap<>();
        p.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        if (p.has("user")) {
            return RequestPrincipal.user(p.get("user").asText(), p.path("userId").asText("AIDAEXAMPLEUSERID"), tags);
        }
        if (p.has("role")) {
            return RequestPrincipal.assumedRole(p.get("role").asText(), p.path("roleId").asText("AROAEXAMPLEROLEID"),
                    p.path("session").asText("session"), tags);
        }
        if (p.has("root")) {
            return RequestPrincipal.root(p.get("root").asText());
        }
        if (p.has("service")) {
            return RequestPrincipal.service(p.get("service").asText());
        }
        if (p.has("webIdentity")) {
            return RequestPrincipal.webIdentity(p.get("webIdentity").asText(), p.path("subject").asText("sub"));
        }
        return RequestPrincipal.anonymous();
    }
}
