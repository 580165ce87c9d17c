package dev.portcullis.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * An accepted async invocation survives {@code kill -9} of the gateway: the node in a child JVM answers
 * 202 while the upstream is failing, is killed, restarts on the same data directory, and delivers.
 */
class GatewayCrashTest {

    static final String ROOT_KEY = "AKIAROOTEXAMPLE00009";
    static final String ROOT_SECRET = "rootSecretExampleKey0000000000000000009";
    private static final String PAYLOAD = "{\"job\":\"nightly-report\",\"rows\":1200}";

    @TempDir
    Path dir;

    @Test
    void anAcceptedAsyncInvocationIsDeliveredAfterKillDashNineAndRestart() throws Exception {
        AtomicBoolean upstreamUp = new AtomicBoolean(false);
        BlockingQueue<String[]> delivered = new LinkedBlockingQueue<>();
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!upstreamUp.get()) {
                ex.sendResponseHeaders(503, -1);
                ex.close();
                return;
            }
            delivered.add(new String[] {ex.getRequestHeaders().getFirst("x-portcullis-request-id"),
                    new String(body, StandardCharsets.UTF_8)});
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        upstream.start();
        Path bootstrap = dir.resolve("gateway.json");
        Files.writeString(bootstrap, """
                {"roles": [{"name": "ReportScheduler", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]},
                   "inlinePolicies": {"invoke": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                      "Action": "execute-api:Invoke", "Resource": "*"}]}}}],
                 "apis": [{"apiId": "reportsapi", "name": "reports", "stages": ["prod"],
                   "routes": [{"routeKey": "POST /jobs", "upstreamUrl": "http://127.0.0.1:%d",
                               "authorization": "IAM", "invocation": "async", "maxAttempts": 1000}]}]}
                """.formatted(upstream.getAddress().getPort()));
        Path data = dir.resolve("data");
        Process first = child(data, bootstrap);
        Process second = null;
        try {
            int[] ports = ready(first);
            AwsSessionCredentials session = assume(ports[0]);
            HttpResponse<String> accepted = sendSigned(ports[1], session);
            assertThat(accepted.statusCode()).isEqualTo(202);
            String requestId = accepted.body().replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1");

            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            upstreamUp.set(true);
            second = child(data, bootstrap);
            ready(second);
            String[] got = delivered.poll(120, TimeUnit.SECONDS);
            assertThat(got).as("delivered after the restart").isNotNull();
            assertThat(got[0]).isEqualTo(requestId);
            assertThat(got[1]).isEqualTo(PAYLOAD);
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly();
            }
            upstream.stop(0);
        }
    }

    private static Process child(Path data, Path bootstrap) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                GatewayCrashChild.class.getName(), data.toString(), bootstrap.toString())
                .redirectErrorStream(true).start();
    }

    /** Waits for the child's READY line: {api port, gateway port}. */
    private static int[] ready(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String line;
        while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
            if (line.startsWith("READY ")) {
                String[] parts = line.split(" ");
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the child's stdout flowing
                        }
                    } catch (java.io.IOException ignored) {
                        // the child died
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new int[] {Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
            }
        }
        throw new AssertionError("child did not start; last line: " + line);
    }

    private static AwsSessionCredentials assume(int apiPort) {
        try (StsClient sts = StsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + apiPort))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_KEY, ROOT_SECRET)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none()).build())
                .build()) {
            Credentials c = sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/ReportScheduler")
                    .roleSessionName("crash-test")).credentials();
            return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
        }
    }

    private static HttpResponse<String> sendSigned(int gatewayPort, AwsSessionCredentials session) throws Exception {
        byte[] bytes = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder()
                .uri(URI.create("http://127.0.0.1:" + gatewayPort + "/reportsapi/prod/jobs"))
                .method(SdkHttpMethod.POST).putHeader("Content-Type", "application/json").build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(session).request(request)
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        HttpRequest.Builder b = HttpRequest.newBuilder(signed.getUri()).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.headers().forEach((k, vs) -> {
            if (!Set.of("host", "content-length").contains(k.toLowerCase(Locale.ROOT))) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

}
