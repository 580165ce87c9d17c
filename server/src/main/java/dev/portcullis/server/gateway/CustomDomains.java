package dev.portcullis.server.gateway;

import dev.portcullis.state.model.Api;
import dev.portcullis.state.view.IamView;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Custom domain names, as API Gateway's base path mappings: a request whose {@code Host} is a mapped
 * domain is served by the mapping's API and stage, with the stage not in the path
 * ({@code https://DOMAIN/BASE_PATH/…}), and is authorized on the same
 * {@code arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH} as through the default endpoint
 * (<a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html">Use API
 * mappings to connect API stages to a custom domain name</a>).
 *
 * <p>A mapping is kept on its API (attribute {@code domain:NAME} = {@code STAGE/BASE_PATH}), so it travels
 * through the change log and the snapshots with the API and goes when the API is deleted. The lookup
 * table is rebuilt from the view when the view changes, never on the request path otherwise.
 */
final class CustomDomains {

    static final String PREFIX = "domain:";
    static final Pattern NAME = Pattern.compile(
            "(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern BASE_PATH = Pattern.compile("|[A-Za-z0-9._~-]{1,128}(/[A-Za-z0-9._~-]{1,128}){0,4}");

    /** One domain's mapping. */
    record Mapping(String domainName, String apiId, String stage, String basePath) {
        String attributeValue() {
            return stage + "/" + basePath;
        }
    }

    private record Table(IamView view, Map<String, Mapping> byDomain) {
    }

    private static volatile Table table;

    private CustomDomains() {
    }

    /** The mapping of {@code host} ({@code Host} header, any port dropped), if it is a mapped domain. */
    static Optional<Mapping> lookup(IamView view, String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        Table t = table;
        if (t == null || t.view != view) {
            t = new Table(view, build(view));
            table = t;
        }
        if (t.byDomain.isEmpty()) {
            return Optional.empty();
        }
        int colon = host.lastIndexOf(':');
        String name = (colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
        return Optional.ofNullable(t.byDomain.get(name));
    }

    private static Map<String, Mapping> build(IamView view) {
        Map<String, Mapping> out = new HashMap<>();
        for (Api api : view.apis()) {
            mappings(api).forEach(m -> out.put(m.domainName(), m));
        }
        return out;
    }

    /** The mappings kept on {@code api}. */
    static java.util.List<Mapping> mappings(Api api) {
        java.util.List<Mapping> out = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : api.attributes().entrySet()) {
            if (e.getKey().startsWith(PREFIX)) {
                String v = e.getValue();
                int slash = v.indexOf('/');
                out.add(new Mapping(e.getKey().substring(PREFIX.length()), api.apiId(),
                        slash < 0 ? v : v.substring(0, slash), slash < 0 ? "" : v.substring(slash + 1)));
            }
        }
        out.sort(java.util.Comparator.comparing(Mapping::domainName));
        return out;
    }
}
