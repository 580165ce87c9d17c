package dev.portcullis.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.server.PortcullisNode;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway on a listener of its own ({@code gateway-port}), configured from a bootstrap file. */
class GatewayListenerAndBootstrapTest {

    @TempDir
    Path dir;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PortcullisNode start(Path file) throws Exception {
        ServerConfig config = new ConfigLoader().flag("port", 0).flag("gateway-port", 0)
                .flag("data-dir", dir.resolve("data").toString()).load();
        return PortcullisNode.start(config, Map.of(PortcullisNode.ENV_ACCOUNT_ID, "111122223333",
                GatewayBootstrap.ENV_FILE, file.toString()), parts -> List.of());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheBootstrappedApiOnItsOwnPortAndAppliesTheFileAgainOnRestart() throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", ex -> {
            byte[] b = ("hello " + ex.getRequestURI().getRawPath()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        upstream.start();
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, """
                {"roles": [{"name": "SlackBotVerificationRole", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]},
                   "inlinePolicies": {"invoke": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                      "Action": "execute-api:Invoke", "Resource": "*"}]}}}],
                 "apis": [{"apiId": "statusapi", "name": "status", "stages": ["v1"],
                   "routes": [{"routeKey": "GET /health/{proxy+}", "upstreamUrl": "http://127.0.0.1:%d",
                               "authorization": "NONE", "timeoutMillis": 2000, "maxEventAgeSeconds": 120}]}]}
                """.formatted(upstream.getAddress().getPort()));
        try {
            for (int start = 0; start < 2; start++) {
                try (PortcullisNode node = start(file)) {
                    assertThat(node.gatewayPort()).isNotEqualTo(node.port());
                    HttpResponse<String> r = get(node.gatewayPort(), "/statusapi/v1/health/db");
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo("hello /health/db");
                    assertThat(get(node.port(), "/statusapi/v1/health/db").statusCode()).isNotEqualTo(200);
                    assertThat(get(node.gatewayPort(), "/statusapi/v2/health/db").statusCode()).isEqualTo(404);
                    assertThat(node.state().view().role("111122223333", "SlackBotVerificationRole")).isPresent();
                    assertThat(node.state().view().api("statusapi").orElseThrow().routes().get("GET /health/{proxy+}")
                            .attributes()).containsEntry("maxEventAgeSeconds", "120").containsEntry("timeoutMillis", "2000");
                }
            }
        } finally {
            upstream.stop(0);
        }
    }

    @Test
    void aBadBootstrapFileStopsTheStartWithItsReason() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, """
                {"apis": [{"apiId": "statusapi", "stages": ["v1"], "routes": [{"routeKey": "GET health", "upstreamUrl": "http://x"}]}]}
                """);
        assertThatThrownBy(() -> start(file)).isInstanceOf(IOException.class).hasMessageContaining("GET health");
    }

    @Test
    void aBootstrapRouteWithAMaxEventAgeOutOfRangeStopsTheStart() throws Exception {
        Path file = dir.resolve("bad-age.json");
        Files.writeString(file, """
                {"apis": [{"apiId": "statusapi", "stages": ["v1"], "routes": [{"routeKey": "POST /events",
                  "upstreamUrl": "http://127.0.0.1:1", "invocation": "async", "maxEventAgeSeconds": 30}]}]}
                """);
        assertThatThrownBy(() -> start(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("POST /events: maxEventAgeSeconds must be an integer from 60 to 21600");
    }
    @Test
    void aBootstrapRouteMayGiveItsModeAsApiGatewaysAuthorizationType() throws Exception {
        Path file = dir.resolve("types.json");
        Files.writeString(file, """
                {"apis": [{"apiId": "typesapi", "stages": ["v1"], "routes": [
                  {"routeKey": "GET /iam", "upstreamUrl": "http://127.0.0.1:1", "authorizationType": "AWS_IAM"},
                  {"routeKey": "GET /none", "upstreamUrl": "http://127.0.0.1:1", "AuthorizationType": "NONE"},
                  {"routeKey": "GET /report", "upstreamUrl": "http://127.0.0.1:1", "authorizationType": "IAM_REPORT_ONLY"},
                  {"routeKey": "GET /both", "upstreamUrl": "http://127.0.0.1:1", "authorization": "NONE",
                   "authorizationType": "NONE"},
                  {"routeKey": "GET /ours", "upstreamUrl": "http://127.0.0.1:1", "authorization": "none"},
                  {"routeKey": "GET /default", "upstreamUrl": "http://127.0.0.1:1"}]}]}
                """);
        try (PortcullisNode node = start(file)) {
            var routes = node.state().view().api("typesapi").orElseThrow().routes();
            assertThat(routes.get("GET /iam").authorization()).isEqualTo("IAM");
            assertThat(routes.get("GET /none").authorization()).isEqualTo("NONE");
            assertThat(routes.get("GET /report").authorization()).isEqualTo("IAM_REPORT_ONLY");
            assertThat(routes.get("GET /both").authorization()).isEqualTo("NONE");
            assertThat(routes.get("GET /ours").authorization()).as("authorization as before: stored as given")
                    .isEqualTo("none");
            assertThat(routes.get("GET /default").authorization()).isEqualTo("IAM");
            assertThat(get(node.gatewayPort(), "/typesapi/v1/iam").statusCode()).as("IAM: unsigned is refused")
                    .isEqualTo(403);
        }
    }

    @Test
    void aBootstrapRouteWithAnUnsupportedOrConflictingAuthorizationTypeStopsTheStart() throws Exception {
        for (String[] c : new String[][] {
            {"\"authorizationType\": \"JWT\"", "GET /x: authorizationType JWT is not supported"},
            {"\"authorizationType\": \"CUSTOM\"", "authorizationType must be AWS_IAM, NONE or IAM_REPORT_ONLY"},
            {"\"authorizationType\": \"IAM\"", "GET /x: authorizationType must be AWS_IAM, NONE or IAM_REPORT_ONLY"},
            {"\"authorization\": \"NONE\", \"authorizationType\": \"AWS_IAM\"",
                "GET /x: authorization NONE and authorizationType AWS_IAM differ"},
            // A misspelt mode used to be enforced as IAM silently; it now stops the start with its reason.
            {"\"authorization\": \"IAM_REPORTONLY\"", "GET /x: authorization must be IAM, IAM_REPORT_ONLY or NONE"},
            {"\"authorization\": \"AWS_IAM\"", "GET /x: authorization must be IAM, IAM_REPORT_ONLY or NONE"},
        }) {
            Path file = dir.resolve("bad-type.json");
            Files.writeString(file, """
                    {"apis": [{"apiId": "typesapi", "stages": ["v1"], "routes": [{"routeKey": "GET /x",
                      "upstreamUrl": "http://127.0.0.1:1", %s}]}]}
                    """.formatted(c[0]));
            assertThatThrownBy(() -> start(file)).as(c[0]).isInstanceOf(IOException.class).hasMessageContaining(c[1]);
        }
    }
}
