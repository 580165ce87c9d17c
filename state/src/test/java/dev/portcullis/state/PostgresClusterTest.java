package dev.portcullis.state;

import static dev.portcullis.state.Fixtures.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.state.change.Change.CreateAccount;
import dev.portcullis.state.change.Change.CreateRole;
import dev.portcullis.state.change.Change.CreateUser;
import dev.portcullis.state.change.Change.RevokeRoleSessions;
import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.store.LogEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three in-process nodes on the real PostgreSQL, one fresh schema per test. */
class PostgresClusterTest {
    static final List<String> SCHEMAS = new ArrayList<>();
    @TempDir
    Path dir;
    final Keyring keyring = Keyring.generate();
    final List<IamState> nodes = new ArrayList<>();

    @BeforeAll
    static void postgres() {
        PostgresSupport.requirePostgres();
    }

    @BeforeEach
    void openNodes() {
        String schema = PostgresSupport.freshSchema();
        SCHEMAS.add(schema);
        for (String name : List.of("n1", "n2", "n3")) {
            // Polling every 30 s: propagation within the test's deadlines must come from NOTIFY.
            nodes.add(IamState.open(StateConfig.postgres(PostgresSupport.URL, schema, dir).withKeyring(keyring)
                    .withNodeName(name).withPollInterval(Duration.ofSeconds(30)).withPoolSize(4)));
        }
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(IamState::close);
    }

    @AfterAll
    static void dropSchemas() {
        SCHEMAS.forEach(PostgresSupport::drop);
    }

    @Test
    void aChangeWrittenOnOneNodeIsAppliedByEveryNode() throws Exception {
        IamState writer = nodes.get(0);
        writer.apply(CreateAccount.of(ACCOUNT));
        writer.apply(CreateRole.of(ACCOUNT, "deployer", "/", Fixtures.TRUST_EC2));
        Instant watermark = Instant.parse("2026-11-23T00:00:00Z");
        Applied revoke = writer.apply(new RevokeRoleSessions(ACCOUNT, "deployer", watermark));
        for (IamState node : nodes) {
            assertThat(node.awaitSequence(revoke.sequence(), Duration.ofSeconds(5))).as(node.toString()).isTrue();
            assertThat(node.view().role(ACCOUNT, "deployer").orElseThrow().sessionsRevokedBefore()).contains(watermark);
        }
    }

    @Test
    void accessKeysCreatedOnOneNodeVerifyOnAnother() throws Exception {
        nodes.get(0).apply(CreateAccount.of(ACCOUNT));
        nodes.get(0).apply(CreateUser.of(ACCOUNT, "alice", "/"));
        NewAccessKey key = nodes.get(0).createAccessKey(ACCOUNT, "alice");
        IamState other = nodes.get(2);
        assertThat(other.awaitSequence(key.sequence(), Duration.ofSeconds(5))).isTrue();
        assertThat(other.view().accessKey(key.accessKeyId()).orElseThrow().secret().matches(key.secret().reveal()))
                .isTrue();
    }

    @Test
    void concurrentWritersOnThreeNodesLoseNothingAndNeverShareASequence() throws Exception {
        nodes.get(0).apply(CreateAccount.of(ACCOUNT));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<List<Long>>> work = new ArrayList<>();
        int perThread = 25;
        for (int t = 0; t < 6; t++) {
            IamState node = nodes.get(t % 3);
            int thread = t;
            work.add(pool.submit(() -> {
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    seqs.add(node.apply(CreateUser.of(ACCOUNT, "n" + thread + "-" + i, "/")).sequence());
                }
                return seqs;
            }));
        }
        Set<Long> sequences = new HashSet<>();
        for (Future<List<Long>> f : work) {
            for (long s : f.get()) {
                assertThat(sequences.add(s)).as("sequence acknowledged twice: " + s).isTrue();
            }
        }
        pool.shutdown();
        long last = 1 + 6L * perThread;
        assertThat(nodes.get(0).store().lastSequence()).isEqualTo(last);
        List<LogEntry> log = nodes.get(0).store().readAfter(0, 10_000);
        assertThat(log).extracting(LogEntry::sequence).doesNotHaveDuplicates().hasSize((int) last);
        for (IamState node : nodes) {
            assertThat(node.awaitSequence(last, Duration.ofSeconds(5))).isTrue();
            assertThat(node.view().users(ACCOUNT)).hasSize(6 * perThread);
        }
    }

    @Test
    void aNodeStartedLaterLoadsTheSnapshotAndTheLogAfterIt() throws Exception {
        IamState writer = nodes.get(0);
        writer.apply(CreateAccount.of(ACCOUNT));
        writer.apply(CreateUser.of(ACCOUNT, "before", "/"));
        writer.snapshotNow();
        writer.apply(CreateUser.of(ACCOUNT, "after", "/"));
        String schema = SCHEMAS.get(SCHEMAS.size() - 1);
        try (IamState late = IamState.open(StateConfig.postgres(PostgresSupport.URL, schema, dir)
                .withKeyring(keyring).withNodeName("late").withPoolSize(2))) {
            assertThat(late.appliedSequence()).isEqualTo(writer.appliedSequence());
            assertThat(late.view().user(ACCOUNT, "before")).isPresent();
            assertThat(late.view().user(ACCOUNT, "after")).isPresent();
        }
    }
}
