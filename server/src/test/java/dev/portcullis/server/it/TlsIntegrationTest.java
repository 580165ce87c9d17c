package dev.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.model.PrincipalKind;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/** `serve` with `tls-cert`/`tls-key`: the SDK over HTTPS, and `aws:SecureTransport` is true there. */
class TlsIntegrationTest {

    @TempDir
    Path dir;

    /** The test's self-signed certificate is trusted for this test only. */
    private static final TrustManager[] TRUST_ALL = {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }};

    @Test
    void servesHttpsAndSetsSecureTransport() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("data-dir", dir.toString())
                .flag("tls-cert", cert.certificatePath()).flag("tls-key", cert.privateKeyPath()).load();
        try (PortcullisNode node = PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, "111122223333",
                PortcullisNode.ENV_ROOT_KEY_ID, RunningNode.ROOT_KEY, PortcullisNode.ENV_ROOT_SECRET, RunningNode.ROOT_SECRET),
                parts -> List.of())) {
            var state = node.state();
            state.apply(Change.CreateUser.of("111122223333", "tls-only", "/"));
            state.apply(new Change.PutInlinePolicy("111122223333", PrincipalKind.USER, "tls-only", "secure", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*",
                     "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"""));
            state.apply(Change.CreateRole.of("111122223333", "over-tls", "/", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"""));
            var key = state.createAccessKey("111122223333", "tls-only");
            try (StsClient sts = StsClient.builder().endpointOverride(URI.create("https://localhost:" + node.port()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(key.accessKeyId(), key.secret().revealAsString())))
                    .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> TRUST_ALL).build())
                    .overrideConfiguration(ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none()).build())
                    .build()) {
                assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::111122223333:user/tls-only");
                assertThat(sts.assumeRole(b -> b.roleArn("arn:aws:iam::111122223333:role/over-tls")
                        .roleSessionName("secure")).assumedRoleUser().arn()).endsWith("/over-tls/secure");
            }
            HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + node.port() + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        }
    }
}
