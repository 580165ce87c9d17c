package dev.portcullis.state.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An immutable hash map split into 256 shards. {@link #with} and {@link #without} copy only the
 * shard they touch plus the 256-slot shard array, so an update costs O(size / 256) and versions
 * share the untouched shards; {@link #get} is one array read and one {@link HashMap} lookup.
 * Published shards are never mutated, so readers need no lock.
 */
final class ShardedMap<K, V> {
    private static final int SHARDS = 256;
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final ShardedMap<?, ?> EMPTY = new ShardedMap(new HashMap[SHARDS], 0);

    private final HashMap<K, V>[] shards;
    private final int size;

    private ShardedMap(HashMap<K, V>[] shards, int size) {
        this.shards = shards;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> ShardedMap<K, V> empty() {
        return (ShardedMap<K, V>) EMPTY;
    }

    private static int shard(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16) ^ (h >>> 8)) & (SHARDS - 1);
    }

    V get(Object key) {
        HashMap<K, V> m = shards[shard(key)];
        return m == null ? null : m.get(key);
    }

    int size() {
        return size;
    }

    ShardedMap<K, V> with(K key, V value) {
        int i = shard(key);
        HashMap<K, V> old = shards[i];
        HashMap<K, V> copy = old == null ? new HashMap<>(4) : new HashMap<>(old);
        boolean added = copy.put(key, value) == null && (old == null || !old.containsKey(key));
        HashMap<K, V>[] next = shards.clone();
        next[i] = copy;
        return new ShardedMap<>(next, added ? size + 1 : size);
    }

    ShardedMap<K, V> without(Object key) {
        int i = shard(key);
        HashMap<K, V> old = shards[i];
        if (old == null || !old.containsKey(key)) {
            return this;
        }
        HashMap<K, V> copy = new HashMap<>(old);
        copy.remove(key);
        HashMap<K, V>[] next = shards.clone();
        next[i] = copy;
        return new ShardedMap<>(next, size - 1);
    }

    void forEach(BiConsumer<? super K, ? super V> action) {
        for (HashMap<K, V> m : shards) {
            if (m != null) {
                m.forEach(action);
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
        @SuppressWarnings("unchecked")
        private final HashMap<K, V>[] shards = new HashMap[SHARDS];
        private int size;

        Builder<K, V> put(K key, V value) {
            int i = shard(key);
            if (shards[i] == null) {
                shards[i] = new HashMap<>();
            }
            if (shards[i].put(key, value) == null) {
                size++;
            }
            return this;
        }

        ShardedMap<K, V> build() {
            return new ShardedMap<>(shards.clone(), size);
        }
    }
}
