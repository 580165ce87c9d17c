package dev.portcullis.core.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests signed by the AWS CLI (botocore), captured by a tiny JDK HTTP server, verify — with the
 * curl leniency off, so only the documented canonical form is accepted. The AWS CLI is optional on
 * developer machines: without it the test skips loudly. (Each CLI start takes seconds: two cases only.)
 */
class AwsCliCompatibilityTest {

    static final String AKID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String TOKEN = "FwoGZXIvYXdzEXAMPLE//token+with/slashes==";
    static final PrincipalIdentity WHO =
            new PrincipalIdentity("arn:aws:iam::123456789012:user/cli", "123456789012", "AIDACLI");

    static HttpServer server;
    static final LinkedBlockingQueue<SigV4Request> captured = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws IOException {
        if (aws() == null) {
            String msg = "the AWS CLI ('aws') is not on PATH: skipping the botocore compatibility test";
            System.err.println("*** " + msg + " ***");
            Assumptions.abort(msg);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, new ArrayList<>(v)));
            captured.add(SigV4Request.of(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), HeaderSource.of(headers), body));
            byte[] reply = "<Response/>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @BeforeEach
    void drain() {
        captured.clear();
    }

    static String aws() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "aws");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    @ParameterizedTest(name = "aws {0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "iam    | list-users          | --path-prefix;/division_abc/sub division/     | iam",
        "s3api  | list-objects-v2     | --bucket;example-bucket;--prefix;caf\u00e9 & co/+x | s3",
    })
    void awsCliSignedRequestVerifies(String service, String operation, String args, String signingName)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(aws(), "--endpoint-url",
                "http://127.0.0.1:" + server.getAddress().getPort(), "--region", "us-east-1", service, operation));
        if (args != null) {
            cmd.addAll(List.of(args.split(";")));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", AKID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET);
        env.put("AWS_SESSION_TOKEN", TOKEN);
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_PAGER", "");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        SigV4Request request = captured.poll(10, TimeUnit.SECONDS);
        assertThat(request).as("no request captured; aws said: %s", out).isNotNull();

        SigV4Verifier verifier = SigV4Verifier.builder((id, token) -> {
            if (!id.equals(AKID)) {
                return null;
            }
            if (!TOKEN.equals(token)) {
                throw CredentialLookup.invalidClientTokenId();
            }
            return new ResolvedCredential(SigningSecret.of(SECRET), WHO, null);
        }).clockSkew(Duration.ofMinutes(5)).tolerateCurlCanonicalization(false).build();

        VerifiedRequest v = verifier.verify(request, "us-east-1", signingName);

        assertThat(v.principal()).isEqualTo(WHO);
        assertThat(v.sessionToken()).isEqualTo(TOKEN);
    }
}
