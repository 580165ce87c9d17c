package dev.portcullis.bench;

import dev.portcullis.core.policy.AuthorizationRequest;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.Decision;
import dev.portcullis.core.policy.Policies;
import dev.portcullis.core.policy.Policy;
import dev.portcullis.core.policy.PolicyEngine;
import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.core.policy.PolicyRef;
import dev.portcullis.core.policy.PolicySet;
import dev.portcullis.core.policy.PolicyValidationException;
import dev.portcullis.core.policy.RequestPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One authorization decision for a principal with 10 attached policies holding 50 statements
 * (mixed exact, prefix and general wildcards in actions and resources, a policy variable, String,
 * Bool, IpAddress and Date conditions, and a NotAction deny that every request must visit).
 * The request (context keys included) is built once, as the server builds it once per call.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PolicyEngineBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyEngineBenchmark {

    static final String ACCOUNT = "111122223333";
    static final String[] SERVICES = {"s3", "ec2", "dynamodb", "sqs", "sns", "lambda", "kms", "logs", "execute-api", "secretsmanager"};

    AuthorizationRequest allowed;
    AuthorizationRequest implicitlyDenied;
    String documentToCompile;
    RequestPrincipal alice;
    PolicySet set;

    @Setup
    public void setUp() throws PolicyValidationException {
        List<PolicyRef> refs = new ArrayList<>();
        for (int i = 0; i < SERVICES.length; i++) {
            String doc = policy(SERVICES[i], i);
            Policy p = Policies.parse(doc, PolicyKind.MANAGED);
            refs.add(new PolicyRef("arn:aws:iam::" + ACCOUNT + ":policy/bench-" + SERVICES[i], p));
            documentToCompile = doc;
        }
        set = PolicySet.ofIdentity(refs);
        alice = RequestPrincipal.user("arn:aws:iam::" + ACCOUNT + ":user/alice", "AIDAALICE",
                Map.of("team", "blue", "cost-center", "1234"));
        allowed = request(alice, set, "s3:GetObject", "arn:aws:s3:::team-blue/reports/q1.csv");
        implicitlyDenied = request(alice, set, "s3:PutBucketPolicy", "arn:aws:s3:::team-blue");
        check(allowed, Decision.ALLOW);
        check(implicitlyDenied, Decision.IMPLICIT_DENY);
    }

    private static AuthorizationRequest request(RequestPrincipal p, PolicySet set, String action, String resource) {
        return AuthorizationRequest.builder().principal(p).action(action).resource(resource).resourceAccount(ACCOUNT)
                .time(Instant.parse("2024-06-01T12:00:00Z"))
                .context("aws:SourceIp", "10.20.30.40").context("aws:SecureTransport", "true")
                .context("aws:RequestedRegion", "eu-west-1").context("aws:MultiFactorAuthPresent", "true")
                .policies(set).build();
    }

    private static void check(AuthorizationRequest r, Decision expected) {
        AuthorizationResult result = PolicyEngine.evaluate(r);
        if (result.decision() != expected) {
            throw new IllegalStateException("benchmark request decided " + result + ", expected " + expected);
        }
    }

    /** Five statements for one service; the first policy also holds the region guard (NotAction deny). */
    static String policy(String svc, int i) {
        String arnPrefix = svc.equals("s3") ? "arn:aws:s3:::" : "arn:aws:" + svc + ":eu-west-1:" + ACCOUNT + ":";
        String guard = i != 0 ? "" : ",{\"Sid\":\"RegionGuard\",\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\",\"sts:*\",\"support:*\"],"
                + "\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"aws:RequestedRegion\":[\"eu-west-1\",\"eu-central-1\"]}}}";
        String fifth = i == 0 ? "" : ",{\"Sid\":\"Window\",\"Effect\":\"Allow\",\"Action\":\"" + svc + ":Tag*\",\"Resource\":\"*\","
                + "\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"},\"Bool\":{\"aws:SecureTransport\":\"true\"}}}";
        return "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"ReadTeam\",\"Effect\":\"Allow\",\"Action\":[\"" + svc + ":Get*\",\"" + svc + ":List*\"],"
                + "\"Resource\":[\"" + arnPrefix + "team-${aws:PrincipalTag/team}/*\",\"" + arnPrefix + "shared-*\"]},"
                + "{\"Sid\":\"Describe\",\"Effect\":\"Allow\",\"Action\":\"" + svc + ":Describe*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":[\"blue\",\"red\"]}}},"
                + "{\"Sid\":\"NoDeleteWithoutMfa\",\"Effect\":\"Deny\",\"Action\":\"" + svc + ":Delete*\",\"Resource\":\"*\","
                + "\"Condition\":{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"false\"}}},"
                + "{\"Sid\":\"WriteOwn\",\"Effect\":\"Allow\",\"Action\":[\"" + svc + ":Put?bject\",\"" + svc + ":*Item\"],"
                + "\"Resource\":\"" + arnPrefix + "*/home/${aws:username}/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}}}"
                + fifth + guard + "]}";
    }

    @Benchmark
    public AuthorizationResult allowedDecision() {
        return PolicyEngine.evaluate(allowed);
    }

    @Benchmark
    public AuthorizationResult implicitDenyDecision() {
        return PolicyEngine.evaluate(implicitlyDenied);
    }

    /** The full per-request cost as the server pays it: build the typed request context, then decide. */
    @Benchmark
    public AuthorizationResult allowedDecisionIncludingRequestConstruction() {
        return PolicyEngine.evaluate(request(alice, set, "s3:GetObject", "arn:aws:s3:::team-blue/reports/q1.csv"));
    }

    @Benchmark
    public AuthorizationResult allowedWithExplanation() {
        return PolicyEngine.explain(allowed);
    }

    @Benchmark
    public Policy compileOnePolicy() throws PolicyValidationException {
        return Policies.parse(documentToCompile, PolicyKind.MANAGED);
    }
}
