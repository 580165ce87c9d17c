package dev.portcullis.audit.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.audit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit table's indexes against the real PostgreSQL: built concurrently, one node at a time,
 * only when one is missing or invalid. The tests that need a build to last hold it open with an
 * old snapshot (CREATE INDEX CONCURRENTLY waits for every older snapshot), so nothing depends on
 * how fast the machine is.
 */
class PostgresTableTest {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private String name;
    private PostgresTable table;

    @BeforeEach
    void table() throws Exception {
        TestPostgres.requireAvailable();
        name = TestPostgres.uniqueTable();
        table = new PostgresTable(name);
    }

    @AfterEach
    void drop() throws Exception {
        for (Connection c : connections) {
            c.close(); // rolls back a held snapshot, so a build still waiting can end
        }
        threads.shutdownNow();
        assertThat(threads.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        if (name != null) {
            TestPostgres.dropSchemaOf(name);
        }
    }

    @Test
    void anIndexLeftInvalidByAnInterruptedBuildIsRebuilt() throws Exception {
        table.create(connect());
        fill(1_000);
        String requestId = index("request_id");
        long before = indexes().get(requestId).oid();
        TestPostgres.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = '" + schema() + "." + requestId
                + "'::regclass");
        assertThat(indexes().get(requestId).valid()).isFalse();

        table.create(connect());

        assertAllValid();
        assertThat(indexes().get(requestId).oid()).as("dropped and built again").isNotEqualTo(before);
    }

    @Test
    void aMissingIndexIsBuiltWhileOtherNodesKeepWritingAndStarting() throws Exception {
        table.create(connect());
        fill(20_000);
        TestPostgres.execute("DROP INDEX " + schema() + "." + index("principals"));
        TestPostgres.execute("DROP INDEX " + schema() + "." + index("events_by_time"));
        Connection oldSnapshot = connect();
        oldSnapshot.setAutoCommit(false);
        oldSnapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        oldSnapshot.createStatement().execute("SELECT 1"); // the build waits for this snapshot before it completes

        AtomicLong inserted = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Future<Void> writer = threads.submit(insertUntil(stop, inserted));
        Future<Void> builder = threads.submit(create(table, connect()));
        waitFor("the build in progress", () -> query("SELECT count(*) FROM pg_stat_progress_create_index"
                + " WHERE relid = '" + name + "'::regclass") == 1);
        String app = "pg-index-" + UUID.randomUUID();
        Future<Void> secondNode = threads.submit(create(table, connect(app)));
        waitFor("the second node waiting its turn", () -> waitingForTheBuildLock(app));

        long during = inserted.get();
        waitFor("writes while the build runs", () -> inserted.get() >= during + 20);
        assertThat(builder).isNotDone();
        assertThat(secondNode).isNotDone();

        oldSnapshot.rollback();
        builder.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        secondNode.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        stop.set(true);
        writer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertAllValid();
        assertThat(query("SELECT count(*) FROM " + name)).isEqualTo(20_000 + inserted.get());
    }

    @Test
    void nodesStartingTogetherOnAFreshSchemaAllSucceed() throws Exception {
        List<Future<Void>> nodes = startTogether(6, i -> {
            try (PostgresSink sink = PostgresSink.connect(TestPostgres.URL, name)) {
                sink.open("n" + i);
            }
        });
        for (Future<Void> node : nodes) {
            node.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        assertAllValid();
    }

    @Test
    void nodesStartingTogetherAfterAnUpgradeTakeTurnsBuildingAndAllSucceed() throws Exception {
        table.create(connect());
        fill(5_000);
        for (String index : table.indexNames()) {
            TestPostgres.execute("DROP INDEX " + schema() + "." + index);
        }
        List<Future<Void>> nodes = startTogether(4, i -> new PostgresTable(name).create(connect()));
        for (Future<Void> node : nodes) {
            node.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        assertAllValid();
    }

    @Test
    void aNodeWaitsHoldingNoSnapshotWhileAnotherBuildsAndThenBuildsNothing() throws Exception {
        table.create(connect());
        fill(1_000);
        TestPostgres.execute("DROP INDEX " + schema() + "." + index("request_id"));
        Connection otherNode = connect();
        takeTheBuildLock(otherNode);
        String app = "pg-index-" + UUID.randomUUID();
        Future<Void> waiting = threads.submit(create(table, connect(app)));
        waitFor("the node waiting its turn", () -> waitingForTheBuildLock(app));

        // Would never finish if the waiting session held a snapshot (blocked inside pg_advisory_lock).
        otherNode.createStatement().execute("CREATE INDEX CONCURRENTLY " + index("request_id") + " ON " + name
                + " (request_id) WHERE request_id IS NOT NULL");
        long built = indexes().get(index("request_id")).oid();
        assertThat(waiting).isNotDone();
        otherNode.createStatement().execute("SELECT pg_advisory_unlock(hashtext('" + table.indexBuildLockKey() + "'))");

        waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertAllValid();
        assertThat(indexes().get(index("request_id")).oid()).isEqualTo(built);
    }

    @Test
    void aNormalStartTakesNoLockAndBuildsNothing() throws Exception {
        table.create(connect());
        fill(100);
        Map<String, IndexState> before = indexes();
        takeTheBuildLock(connect()); // a start that asked for it would wait, then give up
        PostgresTable impatient = new PostgresTable(name, Duration.ofMillis(200));

        impatient.create(connect());

        assertThat(indexes()).isEqualTo(before);
    }

    @Test
    void givesUpAfterTheBoundWhenAnotherNodeKeepsTheBuildLock() throws Exception {
        table.create(connect());
        TestPostgres.execute("DROP INDEX " + schema() + "." + index("digests"));
        Connection otherNode = connect();
        takeTheBuildLock(otherNode);
        PostgresTable impatient = new PostgresTable(name, Duration.ofMillis(300));

        assertThatThrownBy(() -> impatient.create(connect())).isInstanceOf(SQLException.class)
                .hasMessageContaining("another node has been building the indexes of audit table " + name);
        assertThat(indexes()).doesNotContainKey(index("digests"));

        otherNode.close();
        impatient.create(connect());
        assertAllValid();
    }

    private void assertAllValid() throws SQLException {
        Map<String, IndexState> indexes = indexes();
        assertThat(indexes.keySet()).containsExactlyInAnyOrderElementsOf(table.indexNames());
        assertThat(indexes.values()).allMatch(IndexState::valid);
    }

    private record IndexState(long oid, boolean valid) {}

    /** Our indexes in the table's schema, by name. */
    private Map<String, IndexState> indexes() throws SQLException {
        Map<String, IndexState> found = new HashMap<>();
        try (Connection c = DriverManager.getConnection(TestPostgres.URL);
                PreparedStatement ps = c.prepareStatement("SELECT ic.relname, ic.oid, i.indisvalid AND i.indisready"
                        + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
                        + " JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE n.nspname = ? AND ic.relname = ANY (?)")) {
            ps.setString(1, schema());
            ps.setArray(2, c.createArrayOf("text", table.indexNames().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new IndexState(rs.getLong(2), rs.getBoolean(3)));
                }
            }
        }
        return found;
    }

    private String index(String suffix) {
        return name.replace('.', '_') + "_" + suffix;
    }

    private String schema() {
        return name.substring(0, name.indexOf('.'));
    }

    /** Rows like the sink's, written by node "bulk". */
    private void fill(int rows) throws SQLException {
        TestPostgres.execute("INSERT INTO " + name + " (node_id, seq, kind, record_time, event_time, event_name,"
                + " request_id, correlation_id, principals, record) SELECT 'bulk', g, 'event', now(),"
                + " now() + g * interval '1 ms', 'Event' || (g % 10), 'req-' || g, 'corr-' || (g % 50),"
                + " ARRAY['arn:aws:iam::111122223333:role/r' || (g % 100)], '{}' FROM generate_series(1, " + rows + ") g");
    }

    private Callable<Void> insertUntil(AtomicBoolean stop, AtomicLong inserted) throws SQLException {
        Connection c = connect();
        return () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + name + " (node_id, seq, kind, record_time,"
                    + " event_time, request_id, principals, record) VALUES ('writer', ?, 'event', now(), now(), ?,"
                    + " ARRAY['p'], '{}')")) {
                for (long seq = 1; !stop.get(); seq++) {
                    ps.setLong(1, seq);
                    ps.setString(2, "w-" + seq);
                    ps.executeUpdate(); // autocommit: one transaction per row, like a node's batches
                    inserted.incrementAndGet();
                    Thread.sleep(2);
                }
            }
            return null;
        };
    }

    private static Callable<Void> create(PostgresTable table, Connection c) {
        return () -> {
            table.create(c);
            return null;
        };
    }

    private interface Node {
        void start(int i) throws Exception;
    }

    private List<Future<Void>> startTogether(int count, Node node) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Void>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            futures.add(threads.submit(() -> {
                go.await();
                node.start(n);
                return null;
            }));
        }
        go.countDown();
        return futures;
    }

    private void takeTheBuildLock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(hashtext('" + table.indexBuildLockKey() + "'))");
        }
    }

    /** The session named {@code app} is polling for the build lock, idle between tries. */
    private boolean waitingForTheBuildLock(String app) {
        return query("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'"
                + " AND query LIKE '%pg_try_advisory_lock%'") == 1;
    }

    private long query(String sql) {
        try (Connection c = DriverManager.getConnection(TestPostgres.URL); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(TestPostgres.URL);
        connections.add(c);
        return c;
    }

    private Connection connect(String applicationName) throws SQLException {
        Connection c = DriverManager.getConnection(TestPostgres.URL + "&ApplicationName=" + applicationName);
        connections.add(c);
        return c;
    }
}
