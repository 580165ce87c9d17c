package dev.portcullis.state.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An immutable hash map split into 4,096 shards held in a two-level 64 × 64 array tree. {@link
 * #with} and {@link #without} copy the one shard they touch and the two 64-slot arrays on its
 * path, so an update costs O(size / 4096) plus ~1 KB of copying, and versions share everything
 * else; {@link #get} is two array reads and one {@link HashMap} lookup. Published shards are never
 * mutated, so readers need no lock. (A hand-rolled two-level HAMT: enough for ~10⁶ entries.)
 */
final class ShardedMap<K, V> {
    private static final int BITS = 6;
    private static final int WIDTH = 1 << BITS;
    private static final int MASK = WIDTH - 1;
    private static final ShardedMap<?, ?> EMPTY = new ShardedMap<>(new Object[WIDTH][], 0);

    /** {@code tree[i][j]} is a {@code HashMap<K, V>} or null; {@code tree[i]} may be null. */
    private final Object[][] tree;
    private final int size;

    private ShardedMap(Object[][] tree, int size) {
        this.tree = tree;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> ShardedMap<K, V> empty() {
        return (ShardedMap<K, V>) EMPTY;
    }

    /**
     * Shards are chosen by the top 12 bits of a multiplicative (Fibonacci) hash. Not the low bits:
     * {@link HashMap} indexes its table by the low bits of {@code h ^ (h >>> 16)}, so sharding on
     * those would put every key of a shard in the same bucket.
     */
    private static int spread(Object key) {
        return (key.hashCode() * 0x9E3779B9) >>> (32 - 2 * BITS);
    }

    @SuppressWarnings("unchecked")
    private HashMap<K, V> shard(int h) {
        Object[] level = tree[h & MASK];
        return level == null ? null : (HashMap<K, V>) level[(h >>> BITS) & MASK];
    }

    V get(Object key) {
        HashMap<K, V> m = shard(spread(key));
        return m == null ? null : m.get(key);
    }

    int size() {
        return size;
    }

    ShardedMap<K, V> with(K key, V value) {
        int h = spread(key);
        HashMap<K, V> old = shard(h);
        HashMap<K, V> copy = old == null ? new HashMap<>(4) : new HashMap<>(old);
        boolean added = copy.put(key, value) == null && (old == null || !old.containsKey(key));
        return new ShardedMap<>(replace(h, copy), added ? size + 1 : size);
    }

    ShardedMap<K, V> without(Object key) {
        int h = spread(key);
        HashMap<K, V> old = shard(h);
        if (old == null || !old.containsKey(key)) {
            return this;
        }
        HashMap<K, V> copy = new HashMap<>(old);
        copy.remove(key);
        return new ShardedMap<>(replace(h, copy.isEmpty() ? null : copy), size - 1);
    }

    private Object[][] replace(int h, HashMap<K, V> shard) {
        Object[][] top = tree.clone();
        Object[] level = tree[h & MASK];
        Object[] nextLevel = level == null ? new Object[WIDTH] : level.clone();
        nextLevel[(h >>> BITS) & MASK] = shard;
        top[h & MASK] = nextLevel;
        return top;
    }

    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<? super K, ? super V> action) {
        for (Object[] level : tree) {
            if (level != null) {
                for (Object m : level) {
                    if (m != null) {
                        ((HashMap<K, V>) m).forEach(action);
                    }
                }
            }
        }
    }

    List<V> values() {
        List<V> out = new ArrayList<>(size);
        forEach((k, v) -> out.add(v));
        return out;
    }

    /** Bulk construction (snapshot load): one pass, no per-entry copying. */
    static final class Builder<K, V> {
        private final Object[][] tree = new Object[WIDTH][];
        private int size;

        @SuppressWarnings("unchecked")
        Builder<K, V> put(K key, V value) {
            int h = spread(key);
            Object[] level = tree[h & MASK];
            if (level == null) {
                level = tree[h & MASK] = new Object[WIDTH];
            }
            HashMap<K, V> m = (HashMap<K, V>) level[(h >>> BITS) & MASK];
            if (m == null) {
                m = new HashMap<>();
                level[(h >>> BITS) & MASK] = m;
            }
            if (m.put(key, value) == null) {
                size++;
            }
            return this;
        }

        ShardedMap<K, V> build() {
            Object[][] copy = tree.clone();
            return new ShardedMap<>(copy, size);
        }
    }
}
