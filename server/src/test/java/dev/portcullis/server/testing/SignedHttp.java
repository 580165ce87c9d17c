package dev.portcullis.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.state.NewAccessKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4-signed HTTP for tests, against one node's listener: requests are signed by the AWS SDK's own
 * signer (so the server is checked against AWS's implementation, not ours) and sent with
 * {@code java.net.http}; {@link #call} is an AWS JSON 1.1 call of Portcullis's own APIs
 * ({@code X-Amz-Target}). Each instance has its own client, so a test class's pooled connections
 * never outlive its node.
 */
public final class SignedHttp {

    public static final String REGION = "us-east-1";
    /** The signing name of Portcullis's own JSON APIs ({@code PortcullisGateway.…}, {@code PortcullisAudit.…}). */
    public static final String PORTCULLIS = "portcullis";

    /** Headers {@code java.net.http} sets itself and refuses from a caller. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SignedHttp(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** Requests to the listener on {@code port} of this host. */
    public static SignedHttp to(int port) {
        return new SignedHttp(URI.create("http://127.0.0.1:" + port + "/"));
    }

    /** {@code request} signed by {@code who} for {@code service} in {@value #REGION}, covering {@code body}. */
    public static SdkHttpRequest sign(SdkHttpRequest request, byte[] body, AwsCredentialsIdentity who, String service) {
        return sign(request, body, who, service, null);
    }

    /** The same, signed at {@code clock}'s time (unless null), e.g. for an expired signature. */
    public static SdkHttpRequest sign(SdkHttpRequest request, byte[] body, AwsCredentialsIdentity who, String service,
                                      Clock clock) {
        return AwsV4HttpSigner.create().sign(r -> {
            r.identity(who).request(request).payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, REGION);
            if (clock != null) {
                r.putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock);
            }
        }).request();
    }

    /**
     * A {@code java.net.http} request with {@code request}'s method, URI and headers (less those
     * {@code java.net.http} sets itself) and {@code body}, which need not be what was signed.
     */
    public static HttpRequest.Builder request(SdkHttpRequest request, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.getUri()).timeout(Duration.ofSeconds(30))
                .method(request.method().name(), body);
        request.headers().forEach((k, vs) -> {
            if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT))) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        return b;
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} with {@code body}, signed by {@code who} for {@code service} (unsigned when null). */
    public HttpResponse<String> send(SdkHttpRequest request, byte[] body, AwsCredentialsIdentity who, String service)
            throws IOException, InterruptedException {
        SdkHttpRequest toSend = who == null ? request : sign(request, body, who, service);
        return send(request(toSend, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /**
     * An AWS JSON 1.1 call: {@code POST /} with {@code X-Amz-Target: target} and {@code body}, signed by
     * {@code who} for {@value #PORTCULLIS}; unsigned when {@code who} is null.
     */
    public HttpResponse<String> call(String target, String body, AwsCredentialsIdentity who)
            throws IOException, InterruptedException {
        SdkHttpRequest request = SdkHttpRequest.builder().uri(endpoint).method(SdkHttpMethod.POST)
                .putHeader("X-Amz-Target", target)
                .putHeader("Content-Type", "application/x-amz-json-1.1").build();
        return send(request, body.getBytes(StandardCharsets.UTF_8), who, PORTCULLIS);
    }

    /** {@link #call} that must succeed (200, else the test fails with the answer); its JSON. */
    public JsonNode ok(String target, String body, AwsCredentialsIdentity who) throws IOException, InterruptedException {
        HttpResponse<String> r = call(target, body, who);
        assertThat(r.statusCode()).as(target + ": " + r.body()).isEqualTo(200);
        return json(r);
    }

    /** The identity that signs with {@code key}, an access key the state created. */
    public static AwsCredentialsIdentity identity(NewAccessKey key) {
        return AwsBasicCredentials.create(key.accessKeyId(), key.secret().revealAsString());
    }

    public static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }
}
