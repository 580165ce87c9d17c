package dev.portcullis.bench;

import dev.portcullis.core.policy.AuthorizationResult;
import dev.portcullis.core.policy.PolicyRef;
import dev.portcullis.core.sigv4.AwsCredentials;
import dev.portcullis.core.sigv4.SigV4Signer;
import dev.portcullis.core.sigv4.SignedRequest;
import dev.portcullis.core.sigv4.SigningRequest;
import dev.portcullis.core.token.SessionClaims;
import dev.portcullis.core.token.SessionType;
import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.http.InboundRequest;
import dev.portcullis.server.pipeline.AccessControl;
import dev.portcullis.server.pipeline.Authenticator;
import dev.portcullis.state.IamState;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.view.IamView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's IAM work for one request, without HTTP: authenticate an {@code execute-api} request
 * signed by a role session (the token cached after the first request, as on a busy node) and authorize
 * {@code execute-api:Invoke} against the caller's policies and the API's resource policy, as
 * {@code GatewayEndpoint} does. The same request every time, as the load driver sends it: what varies
 * between two builds is the server's work, not the input.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GatewayAuthorizationBenchmark {

    private static final String ACCOUNT = GatewayBenchNode.ACCOUNT;
    private static final String API = GatewayBenchNode.API;
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/" + GatewayBenchNode.ROLE;
    private static final String RESOURCE = "arn:aws:execute-api:us-east-1:" + ACCOUNT + ":" + API + "/prod/POST/execute";

    private Path dir;
    private PortcullisNode node;
    private IamState state;
    private Authenticator authenticator;
    private AccessControl access;
    private InboundRequest request;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("portcullis-authz-bench");
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("data-dir", dir.toString()).load();
        PortcullisNode.Parts[] parts = new PortcullisNode.Parts[1];
        node = PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, ACCOUNT,
                PortcullisNode.ENV_ROOT_KEY_ID, GatewayBenchNode.ROOT_KEY,
                PortcullisNode.ENV_ROOT_SECRET, GatewayBenchNode.ROOT_SECRET), p -> {
                    parts[0] = p;
                    return List.of();
                });
        state = node.state();
        state.apply(Change.CreateRole.of(ACCOUNT, GatewayBenchNode.ROLE, "/", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
                 "Action":"sts:AssumeRole"}]}"""));
        state.apply(new Change.PutApi(API, ACCOUNT, "authz-bench", Optional.of("""
                {"Version":"2012-10-17","Statement":[{"Sid":"BenchCallerOnly","Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::111122223333:role/BenchCallerRole"},
                 "Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:111122223333:benchapi01/*"}]}"""),
                Map.of(), Instant.now()));
        authenticator = new Authenticator(state::view, parts[0].tokens(), parts[0].clock(), config.clockSkew());
        access = parts[0].access();

        String roleId = state.view().roleByArn(ROLE_ARN).orElseThrow().roleId();
        var tokens = parts[0].tokens();
        Instant now = Instant.now();
        SessionClaims claims = new SessionClaims(tokens.newAccessKeyId(), tokens.newSecretAccessKey(),
                SessionType.ASSUMED_ROLE, ACCOUNT, ROLE_ARN, roleId, "gateway-bench", null, Map.of(), Set.of(), null,
                List.of(), now, now.plusSeconds(3600), false, null, null);
        AwsCredentials session = AwsCredentials.of(claims.accessKeyId(), claims.secretAccessKey(), tokens.seal(claims));

        String path = "/" + API + "/prod/execute";
        byte[] body = "{\"channel\":\"C0123ABCD\",\"text\":\"@bot summarise incident INC-2291\"}"
                .getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("127.0.0.1:8443"));
        headers.put("Content-Type", List.of("application/json"));
        SignedRequest signed = SigV4Signer.create().sign(new SigningRequest("POST", path, null, headers, body),
                session, "us-east-1", "execute-api");
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> all.put(k, v));
        signed.headers().forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        all.put("User-Agent", List.of("aws-sdk-java/2.29.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.15 Java/17.0.15"));
        request = new InboundRequest("req-1", "req-1", "POST", path, null, "127.0.0.1:8443",
                name -> all.getOrDefault(name, List.of()), body, "127.0.0.1", false, now, System.nanoTime());
        if (!authenticateAndAuthorize().allowed()) {
            throw new IllegalStateException("the bench request is not allowed");
        }
    }

    @TearDown
    public void tearDown() {
        node.close();
        GatewayLoadDriver.deleteTree(dir);
    }

    @Benchmark
    public AuthorizationResult authenticateAndAuthorize() throws Exception {
        IamView view = state.view();
        Authenticator.Authenticated auth = authenticator.authenticate(request, "us-east-1", "execute-api");
        List<PolicyRef> resourcePolicies = view.apiResourcePolicy(API).map(access::ref).map(List::of).orElse(List.of());
        return access.authorize(auth.caller(), "execute-api:Invoke", RESOURCE, ACCOUNT, Map.of(), Map.of(), Map.of(),
                resourcePolicies, request, auth, view, false);
    }
}
