package dev.portcullis.core.policy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A jqwik complement to {@link PolicyParserFuzzTest} that runs in every build: random byte-level
 * mutations (delete, insert, replace, splice) of valid policies must still yield a policy or errors.
 */
class PolicyParserMutationTest {

    private static final List<String> SEEDS = List.of(
            "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/${aws:username}/*\"}}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"T\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\",\"Service\":\"lambda.amazonaws.com\"},"
                    + "\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"111122223333\"},\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:lambda:*:1:function:*\"}}}]}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\"],\"NotResource\":\"arn:aws:s3:::a*\",\"Condition\":{"
                    + "\"ForAllValues:StringLikeIfExists\":{\"aws:TagKeys\":[\"a?\",\"${*}\"]},\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]},"
                    + "\"NumericLessThan\":{\"s3:max-keys\":\"1e3\"},\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-01-01\"},\"Null\":{\"aws:TokenIssueTime\":true}}}]}");

    private static final String ALPHABET = "{}[]\":,*?$/ \\aA0:-.${}'";

    @Property(tries = 400)
    void mutatedPoliciesYieldAPolicyOrErrors(@ForAll("mutants") String document) {
        PolicyParserFuzzTest.checkAnyDocument(document);
    }

    @Provide
    Arbitrary<String> mutants() {
        Arbitrary<int[]> edit = Combinators.combine(
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, ALPHABET.length() - 1))
                .as((op, a, b, c) -> new int[] {op, a, b, c});
        return Combinators.combine(Arbitraries.of(SEEDS), edit.list().ofMinSize(1).ofMaxSize(6)).as((seed, edits) -> {
            StringBuilder sb = new StringBuilder(seed);
            for (int[] e : edits) {
                int len = sb.length();
                int at = len == 0 ? 0 : e[1] % len;
                switch (e[0]) {
                    case 0:
                        if (len > 0) {
                            sb.delete(at, Math.min(len, at + 1 + e[2] % 8));
                        }
                        break;
                    case 1:
                        sb.insert(at, ALPHABET.charAt(e[3]));
                        break;
                    case 2:
                        if (len > 0) {
                            sb.setCharAt(at, ALPHABET.charAt(e[3]));
                        }
                        break;
                    default:
                        String other = SEEDS.get(e[2] % SEEDS.size());
                        int from = e[2] % other.length();
                        sb.insert(at, other, from, Math.min(other.length(), from + 20));
                        break;
                }
            }
            return sb.toString();
        });
    }
}
