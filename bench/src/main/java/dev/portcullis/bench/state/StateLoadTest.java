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

        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        IamView built = Models.build(applier, users, roles, 1000, attachments);
        long buildMs = (System.nanoTime() - t0) / 1_000_000;
        long buildCpuMs = (threads.getCurrentThreadCpuTime() - c0) / 1_000_000;
        long changes = built.sequence();
        t0 = System.nanoTime();
        byte[] snapshot = SnapshotCodec.write(built);
        long writeMs = (System.nanoTime() - t0) / 1_000_000;
        try (SqliteStore store = SqliteStore.open(dir.resolve("portcullis.db"))) {
            store.saveSnapshot(new StoredSnapshot(built.sequence(), SnapshotCodec.FORMAT, snapshot));
        }
        long snapshotBytes = snapshot.length;
        built = null;
        snapshot = null;

        long before = usedHeap();
        c0 = threads.getCurrentThreadCpuTime();
        t0 = System.nanoTime();
        IamState state = IamState.open(StateConfig.sqlite(dir).withKeyring(keyring));
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        long startCpuMs = (threads.getCurrentThreadCpuTime() - c0) / 1_000_000;
        long after = usedHeap();
        IamView v = state.view();
        System.out.printf("model: %d users, %d roles, 1000 policies, %d attachments (%d changes)%n",
                v.userCount(), v.roleCount(), attachments, changes);
        System.out.printf("apply %d changes in memory: %d ms wall, %d ms CPU (%.1f us CPU/change)%n", changes,
                buildMs, buildCpuMs, buildCpuMs * 1000.0 / changes);
        System.out.printf("snapshot: %d bytes gzip JSON, written in %d ms; store file %d bytes%n",
                snapshotBytes, writeMs, Files.size(dir.resolve("portcullis.db")));
        System.out.printf("start-up from snapshot: %d ms wall, %d ms CPU (opening thread)%n", startMs, startCpuMs);
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
