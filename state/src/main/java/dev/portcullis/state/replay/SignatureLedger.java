package dev.portcullis.state.replay;

import java.time.Instant;

/**
 * Signatures accepted once across every node sharing a store. Thread-safe, blocking: call it from a
 * worker thread, never an event loop.
 */
public interface SignatureLedger {

    /**
     * Records {@code key} (a digest naming one signature) as used until {@code expiresAt}; true the
     * first time anywhere in the cluster, false when any node recorded it before (a replay, or a row
     * not purged yet: either way the signature was already used).
     */
    boolean firstUse(String key, Instant expiresAt);

    /** Deletes up to {@code limit} keys that expired before {@code now}; returns how many. */
    int purgeExpired(Instant now, int limit);
}
