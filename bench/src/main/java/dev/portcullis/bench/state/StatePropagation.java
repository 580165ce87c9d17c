package dev.portcullis.bench.state;

import dev.portcullis.state.IamState;
import dev.portcullis.state.StateConfig;
import dev.portcullis.state.change.Change;
import dev.portcullis.state.keyring.Keyring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Propagation between nodes: three in-process nodes on one PostgreSQL (fresh schema, dropped
 * afterwards), polling every 30 s so that only {@code LISTEN/NOTIFY} counts. Writes 1,000
 * revocations on node 1, one at a time, and records for each the time from {@code apply}
 * returning to the last of nodes 2 and 3 having applied it.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.portcullis.bench.state.StatePropagation [jdbcUrl] [changes]</pre>
 */
public final class StatePropagation {
    private StatePropagation() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        String schema = "portcullis_bench_" + Long.toHexString(System.nanoTime());
        Path dir = Files.createTempDirectory("portcullis-prop");
        Keyring keyring = Keyring.generate();
        List<IamState> nodes = List.of(open(url, schema, dir, keyring, "n1"), open(url, schema, dir, keyring, "n2"),
                open(url, schema, dir, keyring, "n3"));
        try {
            IamState writer = nodes.get(0);
            writer.apply(Change.CreateAccount.of(Models.ACCOUNT));
            writer.apply(Change.CreateRole.of(Models.ACCOUNT, "deployer", "/", Models.TRUST));
            for (int i = 0; i < 200; i++) {
                measure(writer, nodes, i); // warm-up
            }
            long[] micros = new long[n];
            for (int i = 0; i < n; i++) {
                micros[i] = measure(writer, nodes, 200 + i);
            }
            Arrays.sort(micros);
            System.out.printf("propagation to 3 nodes over %d changes: median %.2f ms, p99 %.2f ms, worst %.2f ms%n",
                    n, micros[n / 2] / 1000.0, micros[(int) (n * 0.99)] / 1000.0, micros[n - 1] / 1000.0);
        } finally {
            nodes.forEach(IamState::close);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static long measure(IamState writer, List<IamState> nodes, int i) throws Exception {
        long seq = writer.apply(new Change.RevokeRoleSessions(Models.ACCOUNT, "deployer",
                Instant.ofEpochSecond(1_800_000_000L + i))).sequence();
        long start = System.nanoTime();
        for (IamState node : nodes) {
            while (node.appliedSequence() < seq) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                if (System.nanoTime() - start > 10_000_000_000L) {
                    throw new IllegalStateException(node + " did not apply " + seq + " within 10 s");
                }
            }
        }
        return (System.nanoTime() - start) / 1000;
    }

    private static IamState open(String url, String schema, Path dir, Keyring keyring, String name) {
        return IamState.open(StateConfig.postgres(url, schema, dir).withKeyring(keyring).withNodeName(name)
                .withPollInterval(Duration.ofSeconds(30)).withPoolSize(3));
    }
}
