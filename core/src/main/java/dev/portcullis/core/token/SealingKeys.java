package dev.portcullis.core.token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a node seals with (the current one) and opens with (any known one). Implemented by the
 * state module's keyring; {@link #of} builds a fixed set for tests and embedding.
 */
public interface SealingKeys {

    /** The key new tokens are sealed under. */
    SealingKey current();

    /** A key by id, for opening tokens sealed before a rotation. */
    Optional<SealingKey> byId(String id);

    /** A fixed key set whose first key is current. */
    static SealingKeys of(List<SealingKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one sealing key is required");
        }
        Map<String, SealingKey> byId = new LinkedHashMap<>();
        keys.forEach(k -> byId.put(k.id(), k));
        SealingKey current = keys.get(0);
        return new SealingKeys() {
            @Override
            public SealingKey current() {
                return current;
            }

            @Override
            public Optional<SealingKey> byId(String id) {
                return Optional.ofNullable(byId.get(id));
            }
        };
    }
}
