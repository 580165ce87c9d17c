package dev.portcullis.state.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link JobQueue} backend must do. */
abstract class JobQueueContract {
    abstract JobQueue queue();

    @Test
    void enqueuedJobIsClaimedOnceWithItsPayload() {
        String id = queue().enqueue("invoke", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 3);
        List<Job> claimed = queue().claim("invoke", "w1", 10, Duration.ofMinutes(1));
        assertThat(claimed).singleElement().satisfies(j -> {
            assertThat(j.id()).isEqualTo(id);
            assertThat(new String(j.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
            assertThat(j.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(j.attempts()).isEqualTo(1);
        });
        assertThat(queue().claim("invoke", "w2", 10, Duration.ofMinutes(1))).isEmpty();
        queue().complete(id);
        assertThat(queue().find(id)).get().extracting(Job::status).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void failedJobIsRetriedAfterBackoffThenDeadLettered() throws Exception {
        String id = queue().enqueue("retry", new byte[] {1}, 2);
        queue().claim("retry", "w", 1, Duration.ofMinutes(1));
        assertThat(queue().fail(id, "upstream 503", Duration.ofMillis(300))).isEqualTo(JobStatus.PENDING);
        assertThat(queue().claim("retry", "w", 1, Duration.ofMinutes(1))).as("backing off").isEmpty();
        Thread.sleep(400);
        assertThat(queue().claim("retry", "w", 1, Duration.ofMinutes(1))).hasSize(1);
        assertThat(queue().fail(id, "upstream 503 again", Duration.ofMillis(10))).isEqualTo(JobStatus.DEAD);
        assertThat(queue().dead("retry", 10)).singleElement().satisfies(j -> {
            assertThat(j.lastError()).contains("upstream 503 again");
            assertThat(j.attempts()).isEqualTo(2);
        });
    }

    @Test
    void jobWhoseLeaseExpiredIsClaimableAgain() throws Exception {
        String id = queue().enqueue("lease", new byte[] {1}, 5);
        queue().claim("lease", "dead-worker", 1, Duration.ofMillis(50));
        Thread.sleep(120);
        assertThat(queue().claim("lease", "w2", 1, Duration.ofMinutes(1))).singleElement()
                .satisfies(j -> assertThat(j.leaseOwner()).contains("w2"))
                .extracting(Job::id).isEqualTo(id);
    }

    @Test
    void concurrentClaimersNeverShareAJob() throws Exception {
        for (int i = 0; i < 60; i++) {
            queue().enqueue("race", new byte[] {(byte) i}, 1);
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String worker = "w" + w;
            results.add(pool.submit(() -> {
                int n = 0;
                List<Job> got;
                while (!(got = queue().claim("race", worker, 3, Duration.ofMinutes(1))).isEmpty()) {
                    for (Job j : got) {
                        assertThat(seen.add(j.id())).as("claimed twice: " + j.id()).isTrue();
                        n++;
                    }
                }
                return n;
            }));
        }
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get();
        }
        pool.shutdown();
        assertThat(total).isEqualTo(60);
    }
}
