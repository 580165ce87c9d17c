package dev.portcullis.state.store;

import dev.portcullis.state.model.SealedSecret;
import java.time.Instant;
import java.util.Objects;

/**
 * A node's private key for one purpose (e.g. {@code audit-signing}), as stored: sealed with the
 * keyring, so the row reveals nothing without it.
 */
public record NodeKey(String nodeId, String purpose, SealedSecret sealed, Instant createdAt) {
    public NodeKey {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
