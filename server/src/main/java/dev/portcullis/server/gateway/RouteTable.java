package dev.portcullis.server.gateway;

import dev.portcullis.state.model.Route;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Route matching as API Gateway does it: a route key is {@code METHOD /path} where the method may be
 * {@code ANY}, a segment may be a literal, a variable {@code {name}}, or (last only) a greedy
 * {@code {name+}} that takes one or more segments; {@code $default} matches everything. The most
 * specific match wins: segment by segment, a literal beats a variable beats a greedy variable; then a
 * named method beats {@code ANY}.
 *
 * @see <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html">Working with routes for HTTP APIs</a>
 */
final class RouteTable {

    private RouteTable() {
    }

    /** Parsed route keys: every request matches its API's routes, whose keys change only with the configuration. */
    private static final java.util.concurrent.ConcurrentHashMap<String, Optional<Pattern>> PARSED =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_PARSED = 10_000;

    private static Optional<Pattern> parsed(String routeKey) {
        if (routeKey == null) {
            return Optional.empty();
        }
        Optional<Pattern> p = PARSED.get(routeKey);
        if (p == null) {
            if (PARSED.size() >= MAX_PARSED) {
                PARSED.clear();
            }
            p = Pattern.parse(routeKey);
            PARSED.put(routeKey, p);
        }
        return p;
    }

    /** A parsed route key. */
    record Pattern(String method, List<String> segments, boolean isDefault) {

        static Optional<Pattern> parse(String routeKey) {
            if (routeKey == null) {
                return Optional.empty();
            }
            if (routeKey.equals("$default")) {
                return Optional.of(new Pattern("ANY", List.of(), true));
            }
            int space = routeKey.indexOf(' ');
            if (space <= 0 || space == routeKey.length() - 1 || routeKey.charAt(space + 1) != '/') {
                return Optional.empty();
            }
            String method = routeKey.substring(0, space).toUpperCase(Locale.ROOT);
            List<String> segments = split(routeKey.substring(space + 1));
            for (int i = 0; i < segments.size(); i++) {
                String s = segments.get(i);
                if (s.endsWith("+}") && i != segments.size() - 1) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Pattern(method, segments, false));
        }
    }

    /** The chosen route and the path parameters it bound. */
    record Match(Route route, Pattern pattern) {
    }

    /** The most specific route of {@code routes} for {@code method} and the decoded {@code path}, if any. */
    static Optional<Match> match(Collection<Route> routes, String method, String rawPath) {
        List<String> path = split(rawPath);
        for (int i = 0; i < path.size(); i++) {
            String s = path.get(i);
            if (s.indexOf('%') >= 0) { // only percent-escapes decode ('+' is a literal plus in a path)
                path.set(i, URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        Match best = null;
        int[] bestRank = null;
        for (Route r : routes) {
            Optional<Pattern> p = parsed(r.routeKey());
            if (p.isEmpty()) {
                continue;
            }
            int[] rank = rank(p.get(), method, path);
            if (rank != null && (bestRank == null || compare(rank, bestRank) > 0
                    || (compare(rank, bestRank) == 0 && r.routeKey().compareTo(best.route().routeKey()) < 0))) {
                best = new Match(r, p.get());
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best);
    }

    /** A comparable specificity score, or null when the pattern does not match. */
    static int[] rank(Pattern p, String method, List<String> path) {
        if (p.isDefault()) {
            return new int[] {0};
        }
        boolean anyMethod = p.method().equals("ANY");
        if (!anyMethod && !p.method().equals(method.toUpperCase(Locale.ROOT))) {
            return null;
        }
        List<String> segs = p.segments();
        int[] rank = new int[segs.size() + 2];
        rank[0] = 1;
        for (int i = 0; i < segs.size(); i++) {
            String s = segs.get(i);
            boolean variable = s.startsWith("{") && s.endsWith("}");
            if (variable && s.endsWith("+}")) {
                if (path.size() <= i) {
                    return null;
                }
                rank[i + 1] = 1;
                rank[rank.length - 1] = anyMethod ? 0 : 1;
                return rank;
            }
            if (path.size() <= i) {
                return null;
            }
            if (variable) {
                rank[i + 1] = 2;
            } else if (s.equals(path.get(i))) {
                rank[i + 1] = 3;
            } else {
                return null;
            }
        }
        if (path.size() != segs.size()) {
            return null;
        }
        rank[rank.length - 1] = anyMethod ? 0 : 1;
        return rank;
    }

    private static int compare(int[] a, int[] b) {
        int n = Math.min(a.length - 1, b.length - 1);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        // A longer literal/variable chain is more specific than a shorter one that also matched (greedy).
        if (a.length != b.length) {
            return Integer.compare(a.length, b.length);
        }
        return Integer.compare(a[a.length - 1], b[b.length - 1]);
    }

    /** The non-empty segments of a path ({@code /} has none). */
    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
