package dev.portcullis.bench.state;

import dev.portcullis.state.IamState;
import dev.portcullis.state.StateConfig;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.store.SqliteStore;
import dev.portcullis.state.store.StoredSnapshot;
import dev.portcullis.state.view.IamView;
import dev.portcullis.state.view.PolicyCompiler;
import dev.portcullis.state.view.SnapshotCodec;
import dev.portcullis.state.view.ViewApplier;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Load driver: builds a model of 100k users, 100k roles, 1,000 managed policies and 500k
 * attachments by applying changes in memory, stores it as a snapshot in a SQLite file, then
 * measures a node's start-up from that snapshot and the heap the model takes.
 *
 * <pre>java -Xmx4g -cp bench/target/benchmarks.jar dev.portcullis.bench.state.StateLoadTest [users roles attachments]</pre>
 */
public final class StateLoadTest {
    private StateLoadTest() {
    }

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int roles = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int attachments = args.length > 2 ? Integer.parseInt(args[2]) : 500_000;
        Keyring keyring = Keyring.generate();
        ViewApplier applier = new ViewApplier(PolicyCompiler.standard(), keyring);
        Path dir = Files.createTempDirectory("portcullis-load");

        long t0 = System.nanoTime();
        IamView built = Models.build(applier, users, roles, 1000, attachments);
        long buildMs = (System.nanoTime() - t0) / 1_000_000;
        long changes = built.sequence();
        t0 = System.nanoTime();
        byte[] snapshot = SnapshotCodec.write(built);
        long writeMs = (System.nanoTime() - t0) / 1_000_000;
        try (SqliteStore store = SqliteStore.open(dir.resolve("portcullis.db"))) {
            store.saveSnapshot(new StoredSnapshot(built.sequence(), SnapshotCodec.FORMAT, snapshot));
        }
        built = null;
        snapshot = null;

        long before = usedHeap();
        t0 = System.nanoTime();
        IamState state = IamState.open(StateConfig.sqlite(dir).withKeyring(keyring));
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        long after = usedHeap();
        IamView v = state.view();
        System.out.printf("model: %d users, %d roles, 1000 policies, %d attachments (%d changes)%n",
                v.userCount(), v.roleCount(), attachments, changes);
        System.out.printf("apply %d changes in memory: %d ms (%.1f us/change)%n", changes, buildMs,
                buildMs * 1000.0 / changes);
        System.out.printf("snapshot: %d bytes gzip JSON, written in %d ms, file %d bytes%n",
                Files.size(dir.resolve("portcullis.db")), writeMs, Files.size(dir.resolve("portcullis.db")));
        System.out.printf("start-up from snapshot: %d ms%n", startMs);
        System.out.printf("heap held by the model: %d MiB%n", (after - before) >> 20);
        state.close();
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
