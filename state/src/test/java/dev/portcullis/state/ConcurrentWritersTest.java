package dev.portcullis.state;

import static dev.portcullis.state.Fixtures.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.state.change.Change.CreateAccount;
import dev.portcullis.state.change.Change.CreateUser;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.store.LogEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several threads on two nodes sharing one SQLite file: no lost update, no duplicate sequence. */
class ConcurrentWritersTest {
    @TempDir
    Path dir;

    @Test
    void writersOnTwoNodesAndManyThreadsLoseNothingAndNeverShareASequence() throws Exception {
        Keyring keyring = Keyring.generate();
        try (IamState a = IamState.open(Fixtures.sqlite(dir, keyring).withNodeName("a"));
             IamState b = IamState.open(Fixtures.sqlite(dir, keyring).withNodeName("b"))) {
            a.apply(CreateAccount.of(ACCOUNT));
            Set<Long> sequences = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> work = new ArrayList<>();
            int perThread = 40;
            for (int t = 0; t < 6; t++) {
                IamState node = t % 2 == 0 ? a : b;
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        Applied applied = node.apply(CreateUser.of(ACCOUNT, "t" + thread + "-" + i, "/"));
                        assertThat(sequences.add(applied.sequence())).isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            long last = a.store().lastSequence();
            assertThat(last).isEqualTo(1 + 6 * perThread);
            a.catchUp();
            b.catchUp();
            for (IamState node : List.of(a, b)) {
                assertThat(node.appliedSequence()).isEqualTo(last);
                assertThat(node.view().users(ACCOUNT)).hasSize(6 * perThread);
            }
            Set<Long> logged = new HashSet<>();
            for (LogEntry e : a.store().readAfter(0, 10_000)) {
                logged.add(e.sequence());
            }
            assertThat(logged).hasSize((int) last);
        }
    }
}
