package dev.portcullis.core.sigv4;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Read access to a request's headers, so a server can adapt its own multi-map without copying
 * (for Vert.x: {@code name -> multiMap.getAll(name)}).
 */
@FunctionalInterface
public interface HeaderSource {

    /**
     * All values of a header, in the order received (one entry per header line), looked up
     * case-insensitively; an empty list (never {@code null}) when absent.
     *
     * @param name a header name (normally lower case; match it case-insensitively)
     */
    List<String> values(String name);

    /**
     * A case-insensitive copy of {@code headers} (name → values in order). Names that differ only in
     * case are merged, values kept in the given order.
     *
     * @throws IllegalArgumentException when there are more than {@link SigV4Limits#MAX_HEADERS} header lines
     */
    static HeaderSource of(Map<String, ? extends List<String>> headers) {
        TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int lines = 0;
        for (Map.Entry<String, ? extends List<String>> e : headers.entrySet()) {
            lines += e.getValue().size();
            map.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(e.getValue());
        }
        if (lines > SigV4Limits.MAX_HEADERS) {
            throw new IllegalArgumentException("more than " + SigV4Limits.MAX_HEADERS + " header lines");
        }
        return name -> {
            List<String> v = map.get(name);
            return v == null ? List.of() : Collections.unmodifiableList(v);
        };
    }

    /** A source with no headers. */
    static HeaderSource empty() {
        return name -> List.of();
    }
}
