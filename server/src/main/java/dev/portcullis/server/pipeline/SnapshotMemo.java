package dev.portcullis.server.pipeline;

import dev.portcullis.state.view.IamView;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * What the request path derives from one credential object (a session's {@link
 * dev.portcullis.core.token.SessionClaims}, a key's entry, a principal), remembered for one model snapshot:
 * a small direct-mapped table keyed by object identity, one per thread (no sharing, no locking). A new
 * snapshot empties the table, so it never holds on to an old model; a miss only costs the work it saves.
 * An entry may also be tied to a second object ({@code also}) that must be the same for it to apply.
 */
final class SnapshotMemo<V> {

    private static final int SIZE = 64;

    private final ThreadLocal<Table> tables = ThreadLocal.withInitial(Table::new);

    private static final class Table {
        private final Object[] keys = new Object[SIZE];
        private final Object[] also = new Object[SIZE];
        private final Object[] values = new Object[SIZE];
        private IamView snapshot;
    }

    /** {@code compute(key, view)}, remembered for this {@code key} and {@code also} object and this {@code view}. */
    @SuppressWarnings("unchecked")
    <K> V get(K key, Object also, IamView view, BiFunction<K, IamView, V> compute) {
        Table t = tables.get();
        if (t.snapshot != view) {
            Arrays.fill(t.keys, null);
            Arrays.fill(t.also, null);
            Arrays.fill(t.values, null);
            t.snapshot = view;
        }
        int slot = System.identityHashCode(key) & (SIZE - 1);
        if (t.keys[slot] == key && t.also[slot] == also) {
            return (V) t.values[slot];
        }
        V v = compute.apply(key, view);
        t.keys[slot] = key;
        t.also[slot] = also;
        t.values[slot] = v;
        return v;
    }
}
