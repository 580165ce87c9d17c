package dev.portcullis.bench.audit;

import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.event.Decision;
import dev.portcullis.audit.recorder.AuditRecorder;
import dev.portcullis.core.policy.AuthorizationRequest;
import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.Policies;
import dev.portcullis.core.policy.PolicyEngine;
import dev.portcullis.core.policy.PolicyKind;
import dev.portcullis.core.policy.PolicyRef;
import dev.portcullis.core.policy.PolicySet;
import dev.portcullis.core.policy.RequestPrincipal;
import dev.portcullis.core.policy.StatementRef;
import dev.portcullis.core.sigv4.AwsCredentials;
import dev.portcullis.core.sigv4.HeaderSource;
import dev.portcullis.core.sigv4.PrincipalIdentity;
import dev.portcullis.core.sigv4.ResolvedCredential;
import dev.portcullis.core.sigv4.SigV4Request;
import dev.portcullis.core.sigv4.SigV4Signer;
import dev.portcullis.core.sigv4.SigV4Verifier;
import dev.portcullis.core.sigv4.SignedRequest;
import dev.portcullis.core.sigv4.SigningRequest;
import dev.portcullis.core.sigv4.SigningSecret;
import dev.portcullis.core.sigv4.VerifiedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The audit's cost on the gateway's request work, before the HTTP server exists: each operation
 * verifies a SigV4-signed {@code POST /prod/jobs} and evaluates the caller's identity policy for
 * {@code execute-api:Invoke} (what the gateway does per request besides HTTP and proxying), then
 * with {@code audit=on} builds the request's audit event and records it into a recorder over
 * segment files, as the pipeline will. Two request threads share the machine's two cores with the
 * audit writer thread, so the writer's CPU is part of the measured cost. The full gateway
 * comparison (HTTP included) follows when the server exists; because HTTP adds work the audit does
 * not, this ratio overstates the audit's share.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(2)
public class GatewayRequestAuditBenchmark {

    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String API_ARN = "arn:aws:execute-api:us-east-1:111122223333:exec-api/prod/POST/jobs";

    @Param({"off", "on"})
    String audit;

    private SigV4Verifier verifier;
    private Map<String, List<String>> headers;
    private byte[] body;
    private PolicySet policies;
    private AuditFixtures.Opened opened;
    private AuditRecorder recorder;
    private final AtomicLong counter = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        body = "{\"jobId\":\"job-42\",\"payload\":\"verify-then-execute\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Host", List.of("gateway.internal:8443"));
        h.put("Content-Type", List.of("application/json"));
        SignedRequest signed = SigV4Signer.create().sign(new SigningRequest("POST", "/prod/jobs", null, h, body),
                AwsCredentials.of(ACCESS_KEY, SECRET), "us-east-1", "execute-api");
        headers = new LinkedHashMap<>(h);
        for (Entry<String, String> e : signed.headers().entrySet()) {
            headers.put(e.getKey(), List.of(e.getValue()));
        }
        ResolvedCredential credential = new ResolvedCredential(SigningSecret.of(SECRET),
                new PrincipalIdentity(AuditFixtures.ROLE_ARN, "111122223333", "AROAEXAMPLEID"), null);
        verifier = SigV4Verifier.builder((id, token) -> ACCESS_KEY.equals(id) ? credential : null).build();
        policies = PolicySet.ofIdentity(List.of(new PolicyRef("arn:aws:iam::111122223333:policy/InvokeExec", Policies.parse("""
                {"Version":"2012-10-17","Statement":[{"Sid":"AllowVerificationRole","Effect":"Allow",
                 "Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:exec-api/prod/*"}]}
                """, PolicyKind.MANAGED))));
        if (audit.equals("on")) {
            opened = AuditFixtures.recorder("segments");
            recorder = opened.recorder();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (opened != null) {
            opened.close();
        }
    }

    @Benchmark
    public Object request() throws Exception {
        long start = System.nanoTime();
        VerifiedRequest verified = verifier.verify(
                SigV4Request.of("POST", "/prod/jobs", null, HeaderSource.of(headers), body), "us-east-1", "execute-api");
        AuthorizationResult result = PolicyEngine.evaluate(AuthorizationRequest.builder()
                .principal(RequestPrincipal.assumedRole(verified.principal().arn(), "AROAEXAMPLEID", "job-42", Map.of()))
                .action("execute-api:Invoke")
                .resource(API_ARN)
                .policies(policies)
                .build());
        if (recorder != null) {
            List<String> statements = new ArrayList<>(result.decisiveStatements().size());
            for (StatementRef s : result.decisiveStatements()) {
                statements.add(s.label());
            }
            AuditEvent event = AuditFixtures.gatewayEvent(counter.incrementAndGet(), "/prod/jobs", result.allowed(),
                    (System.nanoTime() - start) / 1000);
            AuditEvent withDecision = AuditEvent.builder().eventId(event.eventId()).eventTime(event.eventTime())
                    .eventSource(event.eventSource()).eventName(event.eventName()).awsRegion(event.awsRegion())
                    .sourceIPAddress(event.sourceIPAddress()).userAgent(event.userAgent())
                    .userIdentity(event.userIdentity()).requestParameters(event.requestParameters())
                    .requestId(event.requestId()).correlationId(event.correlationId())
                    .decision(new Decision(result.allowed() ? Decision.Outcome.Allow : Decision.Outcome.ImplicitDeny,
                            false, statements))
                    .latencyMicros(event.latencyMicros()).build();
            AuditFixtures.recordWaiting(recorder, withDecision);
        }
        return result;
    }
}
