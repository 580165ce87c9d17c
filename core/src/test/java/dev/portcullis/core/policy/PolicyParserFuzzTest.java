package dev.portcullis.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the policy parser: no input may produce anything but a compiled policy or validation
 * errors — no unchecked exception, no stack overflow — and a compiled policy must print, re-parse
 * and evaluate without failing.
 *
 * <p>In a normal {@code mvn verify} Jazzer runs in regression mode: only the committed seeds under
 * {@code src/test/resources/dev/portcullis/core/policy/PolicyParserFuzzTestInputs/} (and any
 * crash files found earlier) are replayed, which takes well under a second. Real fuzzing:
 * <pre>JAZZER_FUZZ=1 mvn -pl core test -Dtest=PolicyParserFuzzTest -Djazzer.hooks=true</pre>
 * (runs for {@code maxDuration}; the generated corpus goes to {@code core/.cifuzz-corpus/}, ignored by git;
 * a crashing input is written next to the seeds, where every later build replays it). The regression
 * replay runs with Jazzer's sanitizer hooks off ({@code jazzer.hooks=false} in {@code core/pom.xml}),
 * which keeps it to seconds on two cores.
 */
class PolicyParserFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parserYieldsAPolicyOrErrorsForAnyInput(byte[] input) {
        checkAnyDocument(new String(input, StandardCharsets.UTF_8));
    }

    /** The invariant, shared with the jqwik mutation test. */
    static void checkAnyDocument(String document) {
        for (PolicyKind kind : PolicyKind.values()) {
            List<PolicyValidationError> errors = Policies.validate(document, kind);
            Policy policy;
            try {
                policy = Policies.parse(document, kind);
            } catch (PolicyValidationException e) {
                assertThat(e.errors()).isNotEmpty().isEqualTo(errors);
                continue;
            }
            assertThat(errors).isEmpty();
            String printed = policy.toCanonicalJson();
            // Printing can grow a document (arrays everywhere), so only the size quota may differ.
            assertThat(Policies.validate(printed, kind))
                    .allMatch(e -> e.code().equals(PolicyValidationError.LIMIT_EXCEEDED));
            AuthorizationRequest request = AuthorizationRequest.builder()
                    .principal(RequestPrincipal.user("arn:aws:iam::111122223333:user/alice", "AIDAX", java.util.Map.of("team", "a")))
                    .action("s3:GetObject")
                    .resource("arn:aws:s3:::bucket/key")
                    .context("aws:SourceIp", "203.0.113.9")
                    .policies(kind.requiresPrincipal()
                            ? PolicySet.builder().resource(new PolicyRef("fuzz", policy)).build()
                            : PolicySet.ofIdentity(List.of(new PolicyRef("fuzz", policy))))
                    .build();
            assertThat(PolicyEngine.explain(request).decision()).isEqualTo(PolicyEngine.evaluate(request).decision());
        }
    }
}
