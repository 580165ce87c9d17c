package dev.portcullis.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.state.model.Route;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {

    private static final List<Route> ROUTES = List.of(
            route("POST /execute"),
            route("GET /items/{id}"),
            route("GET /items/special"),
            route("ANY /items/{id}"),
            route("ANY /files/{proxy+}"),
            route("GET /files/{dir}/readme"),
            route("ANY /{proxy+}"),
            route("DELETE /"));

    private static Route route(String key) {
        return new Route(key, "http://127.0.0.1:1", "IAM", "sync", Map.of());
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "POST  | /execute            | POST /execute",
            "GET   | /execute            | ANY /{proxy+}",
            "GET   | /items/42           | GET /items/{id}",
            "PUT   | /items/42           | ANY /items/{id}",
            "GET   | /items/special      | GET /items/special",
            "GET   | /items/a%20b        | GET /items/{id}",
            "GET   | /files/a/readme     | GET /files/{dir}/readme",
            "GET   | /files/a/b/c        | ANY /files/{proxy+}",
            "GET   | /files              | ANY /{proxy+}",
            "DELETE| /                   | DELETE /",
            "GET   | /                   | <none>",
    })
    void theMostSpecificRouteWins(String method, String path, String expected) {
        Optional<RouteTable.Match> m = RouteTable.match(ROUTES, method, path);
        assertThat(m.map(x -> x.route().routeKey()).orElse("<none>")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"GET /a/{p+}/b", "/no-method", "GET no-slash", "''"})
    void rejectsMalformedRouteKeys(String key) {
        assertThat(RouteTable.Pattern.parse(key)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a=1&X-Amz-Signature=abc&b=2 | a=1&b=2",
            "X-Amz-Credential=x          | ''",
            "q=x-amz-date                | q=x-amz-date"})
    void forwardsTheQueryWithoutPresigningParameters(String in, String out) {
        assertThat(GatewayEndpoint.query(in)).isEqualTo(out);
    }
}
