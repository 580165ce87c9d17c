package dev.portcullis.state.keyring;

import dev.portcullis.state.model.SealedSecret;
import dev.portcullis.state.store.NodeKey;
import dev.portcullis.state.store.Store;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Private keys that belong to one node, such as its audit signing key, kept in the store sealed
 * with the keyring (AES-GCM under the current master key, exactly like access-key secrets). The
 * associated data is {@code node-key/<purpose>/<nodeId>}, so a sealed key copied to another node's
 * row does not open. In a cluster the store and the keyring are shared, so a node's key survives
 * the loss of its data directory as long as its node id is kept. Thread-safe.
 */
public final class NodeKeys {

    private final Store store;
    private final Keyring keyring;

    public NodeKeys(Store store, Keyring keyring) {
        this.store = store;
        this.keyring = keyring;
    }

    /** The node's key for {@code purpose}, opened; empty when it has none. */
    public Optional<Secret> find(String nodeId, String purpose) {
        return store.nodeKey(nodeId, purpose).map(this::open);
    }

    /**
     * The node's key for {@code purpose}, created from {@code fresh} and stored when it has none.
     * When two processes race, both end up with the one stored first.
     */
    public Secret loadOrCreate(String nodeId, String purpose, Supplier<char[]> fresh) {
        Optional<Secret> found = find(nodeId, purpose);
        if (found.isPresent()) {
            return found.get();
        }
        char[] key = fresh.get();
        try {
            addIfAbsent(nodeId, purpose, key);
        } finally {
            Arrays.fill(key, '\0');
        }
        return find(nodeId, purpose).orElseThrow(() -> new KeyringException(
                "node key " + purpose + " of " + nodeId + " vanished right after it was stored"));
    }

    /** Seals and stores {@code key} unless the node already has one for {@code purpose}; returns whether it stored it. */
    public boolean addIfAbsent(String nodeId, String purpose, char[] key) {
        SealedSecret sealed = keyring.seal(key, context(nodeId, purpose));
        return store.addNodeKey(new NodeKey(nodeId, purpose, sealed, Instant.now()));
    }

    /** The node ids that have a key for {@code purpose}, sorted. */
    public List<String> nodes(String purpose) {
        return store.nodeKeys(purpose).stream().map(NodeKey::nodeId).toList();
    }

    /**
     * Re-seals, under the keyring's current master key, up to {@code max} node keys (of every node
     * and purpose) still sealed under older ones; returns how many.
     */
    public int reseal(int max) {
        int done = 0;
        for (NodeKey k : store.nodeKeys(null)) {
            if (done >= max) {
                break;
            }
            if (!keyring.isStale(k.sealed())) {
                continue;
            }
            char[] clear = open(k).reveal();
            try {
                store.resealNodeKey(new NodeKey(k.nodeId(), k.purpose(), keyring.seal(clear, context(k.nodeId(),
                        k.purpose())), k.createdAt()));
                done++;
            } finally {
                Arrays.fill(clear, '\0');
            }
        }
        return done;
    }

    private Secret open(NodeKey k) {
        return keyring.open(k.sealed(), context(k.nodeId(), k.purpose()));
    }

    private static String context(String nodeId, String purpose) {
        return "node-key/" + purpose + "/" + nodeId;
    }
}
