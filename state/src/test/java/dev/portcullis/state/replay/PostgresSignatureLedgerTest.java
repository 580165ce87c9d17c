package dev.portcullis.state.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.state.PostgresSupport;
import dev.portcullis.state.store.PostgresStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared signature ledger on PostgreSQL, as two nodes (two stores on one schema) see it. */
class PostgresSignatureLedgerTest {
    String schema;
    PostgresStore nodeA;
    PostgresStore nodeB;

    @BeforeEach
    void open() {
        PostgresSupport.requirePostgres();
        schema = PostgresSupport.freshSchema();
        nodeA = PostgresStore.open(PostgresSupport.URL, schema, 4);
        nodeB = PostgresStore.open(PostgresSupport.URL, schema, 4);
    }

    @AfterEach
    void close() {
        if (nodeA != null) {
            nodeA.close();
            nodeB.close();
            PostgresSupport.drop(schema);
        }
    }

    @Test
    void aSignatureIsAcceptedOnceAcrossNodes() {
        Instant later = Instant.now().plusSeconds(900);
        SignatureLedger a = nodeA.sharedSignatures().orElseThrow();
        SignatureLedger b = nodeB.sharedSignatures().orElseThrow();
        assertThat(a.firstUse("sig-1", later)).isTrue();
        assertThat(b.firstUse("sig-1", later)).as("replayed to the other node").isFalse();
        assertThat(a.firstUse("sig-1", later)).isFalse();
        assertThat(b.firstUse("sig-2", later)).isTrue();
    }

    @Test
    void expiredSignaturesArePurgedAndLiveOnesKept() {
        SignatureLedger a = nodeA.sharedSignatures().orElseThrow();
        Instant now = Instant.now();
        a.firstUse("old-1", now.minusSeconds(10));
        a.firstUse("old-2", now.minusSeconds(5));
        a.firstUse("live", now.plusSeconds(600));
        assertThat(a.purgeExpired(now, 1)).isEqualTo(1);
        assertThat(a.purgeExpired(now, 100)).isEqualTo(1);
        assertThat(a.purgeExpired(now, 100)).isZero();
        assertThat(a.firstUse("live", now.plusSeconds(600))).as("kept").isFalse();
        assertThat(a.firstUse("old-1", now.plusSeconds(600))).as("purged, so recordable again").isTrue();
    }

    @Test
    void racingNodesLetExactlyOneWin() throws Exception {
        Instant later = Instant.now().plusSeconds(900);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 20; round++) {
                String key = "race-" + round;
                List<Callable<Boolean>> tries = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    SignatureLedger l = (i % 2 == 0 ? nodeA : nodeB).sharedSignatures().orElseThrow();
                    tries.add(() -> l.firstUse(key, later));
                }
                int winners = 0;
                for (Future<Boolean> f : pool.invokeAll(tries)) {
                    winners += f.get() ? 1 : 0;
                }
                assertThat(winners).as(key).isEqualTo(1);
            }
        } finally {
            pool.shutdown();
        }
    }
}
