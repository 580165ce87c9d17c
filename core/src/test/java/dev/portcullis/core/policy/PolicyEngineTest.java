package dev.portcullis.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The public door: contract names, explanations, and thread safety of compiled policies. */
class PolicyEngineTest {

    private static final String READ = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Sid\":\"ReadReports\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::reports/*\","
            + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}},"
            + "{\"Sid\":\"DenyHttp\",\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}},"
            + "{\"Effect\":\"Allow\",\"Action\":\"ec2:Describe*\",\"Resource\":\"*\"}]}";

    private static AuthorizationRequest.Builder alice(Policy p) {
        return AuthorizationRequest.builder()
                .principal(RequestPrincipal.user("arn:aws:iam::111122223333:user/alice", "AIDAALICE", Map.of()))
                .action("s3:GetObject").resource("arn:aws:s3:::reports/q1.csv")
                .policies(PolicySet.ofIdentity(List.of(new PolicyRef("arn:aws:iam::111122223333:policy/read", p))));
    }

    @Test
    void policyKindsCarryAwsSizeQuotas() {
        assertThat(PolicyKind.MANAGED.maxSize()).isEqualTo(6144);
        assertThat(PolicyKind.INLINE_USER.maxSize()).isEqualTo(2048);
        assertThat(PolicyKind.INLINE_ROLE.maxSize()).isEqualTo(10240);
        assertThat(PolicyKind.INLINE_GROUP.maxSize()).isEqualTo(5120);
        assertThat(PolicyKind.TRUST.maxSize()).isEqualTo(2048);
    }

    @Test
    void parseFailureListsEveryErrorAndUsesTheFirstAsMessage() {
        assertThatThrownBy(() -> Policies.parse("{\"Statement\":[{\"Effect\":\"Allow\"}]}", PolicyKind.MANAGED))
                .isInstanceOfSatisfying(PolicyValidationException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Policy statement must contain actions.");
                    assertThat(e.code()).isEqualTo("MalformedPolicyDocument");
                    assertThat(e.errors()).extracting(PolicyValidationError::location)
                            .containsExactly("/Statement/0/Action", "/Statement/0/Resource");
                });
    }

    @Test
    void nullDocumentIsAValidationErrorNotAnException() {
        assertThat(Policies.validate(null, PolicyKind.MANAGED)).extracting(PolicyValidationError::message)
                .containsExactly("Syntax errors in policy.");
    }

    @Test
    void hugeDocumentsAreRejectedWithoutBeingParsed() {
        String huge = "{\"Statement\":[" + "{},".repeat(400_000) + "{}]}";
        assertThat(Policies.validate(huge, PolicyKind.MANAGED)).extracting(PolicyValidationError::code)
                .containsExactly("LimitExceeded", "MalformedPolicyDocument");
    }

    @Test
    void compiledPolicyKeepsItsDocumentAndKind() throws Exception {
        Policy p = Policies.parse(READ, PolicyKind.INLINE_ROLE);
        assertThat(p.document()).isEqualTo(READ);
        assertThat(p.kind()).isEqualTo(PolicyKind.INLINE_ROLE);
        assertThat(p.statementCount()).isEqualTo(3);
    }

    @Test
    void explanationSaysWhichStatementDecidedAndWhyOthersDidNot() throws Exception {
        Policy p = Policies.parse(READ, PolicyKind.MANAGED);
        AuthorizationResult r = PolicyEngine.explain(alice(p).context("aws:SourceIp", "10.1.2.3").build());
        assertThat(r.decision()).isEqualTo(Decision.ALLOW);
        assertThat(r.decisiveLabels()).containsExactly("arn:aws:iam::111122223333:policy/read/ReadReports");
        assertThat(r.evaluatedStatements()).hasSize(3);
        StatementTrace deny = r.evaluatedStatements().get(1);
        assertThat(deny.applies()).isFalse();
        assertThat(deny.actionMatched()).isTrue();
        assertThat(deny.conditions().get(0).reason()).contains("aws:SecureTransport is not in the request context");
        StatementTrace describe = r.evaluatedStatements().get(2);
        assertThat(describe.actionMatched()).isFalse();
        assertThat(describe.statement().label()).endsWith("/#2");
        assertThat(r.missingContextKeys()).containsExactly("aws:securetransport");
    }

    @Test
    void evaluateFindsTheSameDecisionWithoutTheTrace() throws Exception {
        Policy p = Policies.parse(READ, PolicyKind.MANAGED);
        AuthorizationResult r = PolicyEngine.evaluate(alice(p).context("aws:SourceIp", "10.1.2.3").context("aws:SecureTransport", "false").build());
        assertThat(r.decision()).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(r.decisiveStatements()).extracting(StatementRef::sid).containsExactly("DenyHttp");
        assertThat(r.evaluatedStatements()).isEmpty();
        assertThat(r.reason()).contains("DenyHttp");
    }

    @Test
    void compiledPoliciesAreSafeToShareBetweenThreads() throws Exception {
        Policy p = Policies.parse(READ, PolicyKind.MANAGED);
        List<AuthorizationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            requests.add(alice(p).context("aws:SourceIp", (i % 2 == 0 ? "10.0.0." : "192.168.0.") + i)
                    .context("aws:SecureTransport", i % 3 == 0 ? "false" : "true").build());
        }
        List<Decision> expected = requests.stream().map(r -> PolicyEngine.evaluate(r).decision()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Decision>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    List<Decision> out = new ArrayList<>();
                    for (int round = 0; round < 200; round++) {
                        out.clear();
                        for (AuthorizationRequest r : requests) {
                            out.add(PolicyEngine.evaluate(r).decision());
                        }
                    }
                    return out;
                }));
            }
            for (Future<List<Decision>> f : futures) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(expected).contains(Decision.ALLOW, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY);
    }
}
