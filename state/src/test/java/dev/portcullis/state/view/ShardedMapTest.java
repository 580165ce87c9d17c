package dev.portcullis.state.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardedMapTest {
    @Test
    void behavesLikeAHashMapAndOldVersionsNeverChange() {
        Random random = new Random(42);
        ShardedMap<String, Integer> map = ShardedMap.empty();
        Map<String, Integer> model = new HashMap<>();
        ShardedMap<String, Integer> snapshot = null;
        Map<String, Integer> snapshotModel = null;
        for (int i = 0; i < 20_000; i++) {
            String key = "k" + random.nextInt(5_000);
            if (random.nextInt(4) == 0) {
                map = map.without(key);
                model.remove(key);
            } else {
                map = map.with(key, i);
                model.put(key, i);
            }
            if (i == 10_000) {
                snapshot = map;
                snapshotModel = new HashMap<>(model);
            }
        }
        assertThat(map.size()).isEqualTo(model.size());
        Map<String, Integer> all = new HashMap<>();
        map.forEach(all::put);
        assertThat(all).isEqualTo(model);
        Map<String, Integer> old = new HashMap<>();
        snapshot.forEach(old::put);
        assertThat(old).isEqualTo(snapshotModel);
        assertThat(snapshot.size()).isEqualTo(snapshotModel.size());
    }

    @Test
    void builderMatchesIncrementalConstruction() {
        ShardedMap.Builder<Integer, Integer> b = new ShardedMap.Builder<>();
        for (int i = 0; i < 10_000; i++) {
            b.put(i, i * 2);
        }
        ShardedMap<Integer, Integer> built = b.build().with(10_000, 1).without(5);
        assertThat(built.size()).isEqualTo(10_000);
        assertThat(built.get(5)).isNull();
        assertThat(built.get(9_999)).isEqualTo(19_998);
        assertThat(built.get(10_000)).isEqualTo(1);
    }
}
