package dev.portcullis.server.gateway;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers signatures a replay-protected route has accepted, for as long as they could still verify
 * (the clock-skew window, or a presigned URL's lifetime), and refuses a second use. Bounded: expired
 * entries are swept when the table grows, and when it is full of live entries new requests are
 * refused (fail closed) rather than the table growing without limit.
 *
 * <p>Per node, and the fast path: a replay to the node that saw the signature is refused here without
 * I/O. On a PostgreSQL store {@link SharedReplays} then asks the cluster about first uses. Thread-safe.
 */
final class ReplayGuard {

    static final int MAX_ENTRIES = 1_000_000;

    private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    private final int maxEntries;

    ReplayGuard(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * True the first time {@code signature} is presented before {@code validUntilNanos}; false for a
     * replay, or when the table is full of signatures that are all still valid.
     */
    boolean firstUse(String signature, long nowNanos, long validUntilNanos) {
        if (seen.size() >= maxEntries) {
            sweep(nowNanos);
            if (seen.size() >= maxEntries) {
                return false;
            }
        }
        Long previous = seen.putIfAbsent(signature, validUntilNanos);
        if (previous == null) {
            return true;
        }
        if (previous - nowNanos < 0) {
            // The earlier use has expired: so has this signature, and the verifier already refused
            // anything that old; replace the stale entry and treat it as a replay all the same.
            seen.put(signature, validUntilNanos);
        }
        return false;
    }

    private void sweep(long nowNanos) {
        for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() - nowNanos < 0) {
                it.remove();
            }
        }
    }

    int size() {
        return seen.size();
    }
}
