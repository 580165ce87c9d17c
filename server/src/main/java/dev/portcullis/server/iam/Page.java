package dev.portcullis.server.iam;

import dev.portcullis.server.query.QueryException;
import dev.portcullis.server.query.QueryXml;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One page of a listing: {@code MaxItems} (1–1000, default 100) items after the {@code Marker}.
 * The marker is opaque to clients: base64url of the last item's key (its lower-cased name), so a page
 * stays correct when items before it are deleted between calls.
 */
record Page<T>(List<T> items, String nextMarker) {

    static final int DEFAULT_MAX_ITEMS = 100;

    /** Pages {@code all}, which must be ordered by {@code key} (case-insensitively). */
    static <T> Page<T> of(Call call, List<T> all, Function<T, String> key) {
        int max = call.params().integer("MaxItems", 1, 1000).orElse(DEFAULT_MAX_ITEMS);
        String after = call.optional("Marker").map(Page::decode).orElse(null);
        int from = 0;
        if (after != null) {
            while (from < all.size() && key.apply(all.get(from)).toLowerCase(Locale.ROOT).compareTo(after) <= 0) {
                from++;
            }
        }
        int to = Math.min(all.size(), from + max);
        List<T> items = all.subList(from, to);
        String next = to < all.size() ? encode(key.apply(all.get(to - 1)).toLowerCase(Locale.ROOT)) : null;
        return new Page<>(List.copyOf(items), next);
    }

    /** Validates {@code Marker} and {@code MaxItems} at resolve time, before authorization. */
    static void validate(Call call) {
        call.params().integer("MaxItems", 1, 1000);
        call.optional("Marker").ifPresent(Page::decode);
    }

    boolean truncated() {
        return nextMarker != null;
    }

    /** {@code <IsTruncated>} and, when truncated, {@code <Marker>}. */
    void writeTail(QueryXml xml) {
        xml.element("IsTruncated", truncated());
        xml.element("Marker", nextMarker);
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String marker) {
        try {
            return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw QueryException.invalid("Marker", marker, "Member must be a Marker returned by a previous response");
        }
    }
}
