package dev.portcullis.state.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What every {@link JobQueue} backend must do. */
abstract class JobQueueContract {
    abstract JobQueue queue();

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final ManualClock clock = new ManualClock();

    /** The backend's queue reading time from {@link #clock}. */
    JobQueue timed() {
        return ((JdbcJobQueue) queue()).withClock(clock);
    }

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

    /** Claims every ready job of {@code queue} and fails it; jobs with one attempt become dead letters. */
    void killAll(String queue) {
        for (Job j : queue().claim(queue, "w", 1000, Duration.ofMinutes(1))) {
            queue().fail(j.id(), "upstream answered 503", Duration.ofMillis(1));
        }
    }

    @Test
    void deadLettersAreListedPerAccountAndTopicOldestFirstInPagesWithoutPayloads() {
        JobOwner prod = new JobOwner("111122223333", "apia", "prod", "{\"requestId\":\"r1\"}");
        String a1 = queue().enqueue("dl", new byte[] {1}, 1, prod);
        String a2 = queue().enqueue("dl", new byte[] {2}, 1, new JobOwner("111122223333", "apia", "beta", null));
        String a3 = queue().enqueue("dl", new byte[] {3}, 1, prod);
        queue().enqueue("dl", new byte[] {4}, 1, new JobOwner("111122223333", "apib", "prod", null));
        queue().enqueue("dl", new byte[] {5}, 1, new JobOwner("444455556666", "apia", "prod", null));
        queue().enqueue("dl", new byte[] {6}, 1);
        String alive = queue().enqueue("dl-other", new byte[] {7}, 1, prod);
        killAll("dl");

        JobOwner apiA = JobOwner.of("111122223333", "apia", null);
        List<JobInfo> all = queue().deadLetters("dl", apiA, null, 10);
        assertThat(all).extracting(JobInfo::id).containsExactlyInAnyOrder(a1, a2, a3);
        assertThat(all).isSortedAccordingTo(java.util.Comparator.comparing(JobInfo::createdAt)
                .thenComparing(JobInfo::id));
        JobInfo first = all.stream().filter(j -> j.id().equals(a1)).findFirst().orElseThrow();
        assertThat(first.status()).isEqualTo(JobStatus.DEAD);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.lastError()).contains("upstream answered 503");
        assertThat(first.owner()).isEqualTo(prod);
        assertThat(first.updatedAt()).isAfterOrEqualTo(first.createdAt());

        assertThat(queue().deadLetters("dl", JobOwner.of("111122223333", "apia", "prod"), null, 10))
                .extracting(JobInfo::id).containsExactlyInAnyOrder(a1, a3);
        assertThat(queue().deadLetters("dl-other", apiA, null, 10)).as("not dead").isEmpty();
        assertThat(queue().find(alive)).get().extracting(Job::status).isEqualTo(JobStatus.PENDING);

        List<String> paged = new ArrayList<>();
        JobInfo.Cursor cursor = null;
        for (int page = 0; page < 5; page++) {
            List<JobInfo> got = queue().deadLetters("dl", apiA, cursor, 1);
            if (got.isEmpty()) {
                break;
            }
            assertThat(got).hasSize(1);
            paged.add(got.get(0).id());
            cursor = got.get(0).cursor();
        }
        assertThat(paged).containsExactlyElementsOf(all.stream().map(JobInfo::id).toList());
    }

    @Test
    void aClaimedJobCarriesItsOwnerAndAnAbandonedOneIsDeadWithItsReasonBeforeItsLastFailure() {
        JobQueue q = timed();
        JobOwner owner = new JobOwner("111122223333", "apia", "prod", "{\"requestId\":\"r1\"}");
        String failed = q.enqueue("ab", new byte[] {1}, 5, owner);
        String fresh = q.enqueue("ab", new byte[] {2}, 5, JobOwner.NONE);
        assertThat(q.claim("ab", "w", 10, Duration.ofMinutes(1))).extracting(Job::owner)
                .containsExactlyInAnyOrder(owner, JobOwner.NONE);
        assertThat(q.fail(failed, "upstream answered 503", Duration.ofMillis(1))).isEqualTo(JobStatus.PENDING);
        q.complete(fresh);
        clock.advance(Duration.ofSeconds(1));  // past the backoff
        assertThat(q.claim("ab", "w", 10, Duration.ofMinutes(5))).extracting(Job::id).containsExactly(failed);

        q.abandon(failed, "API deleted before delivery");
        assertThat(q.find(failed)).get().satisfies(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.DEAD);
            assertThat(j.attempts()).as("the claim that was not delivered does not count").isEqualTo(1);
            assertThat(j.leaseOwner()).isEmpty();
            assertThat(j.lastError()).contains("API deleted before delivery; last error: upstream answered 503");
        });
        assertThat(q.claim("ab", "w", 10, Duration.ofMinutes(1))).isEmpty();
        assertThat(q.deadLetters("ab", JobOwner.of("111122223333", "apia", null), null, 10))
                .extracting(JobInfo::id).containsExactly(failed);

        String never = q.enqueue("ab", new byte[] {3}, 5, owner);
        q.claim("ab", "w", 10, Duration.ofMinutes(1));
        q.abandon(never, "stage deleted before delivery");
        assertThat(q.find(never)).get().satisfies(j -> {
            assertThat(j.lastError()).contains("stage deleted before delivery");
            assertThat(j.attempts()).isZero();
        });
        String pending = q.enqueue("ab", new byte[] {4}, 5, owner);
        q.abandon(pending, "API deleted before delivery");
        assertThat(q.find(pending)).get().extracting(Job::status).as("not claimed: left alone")
                .isEqualTo(JobStatus.PENDING);
    }

    @Test
    void redriveResetsAttemptsOfTheOwnersDeadJobsOnlyAndKeepsTheirPayload() {
        JobOwner mine = new JobOwner("111122223333", "apia", "prod", null);
        String dead = queue().enqueue("rd", new byte[] {42, 43}, 1, mine);
        String theirs = queue().enqueue("rd", new byte[] {1}, 1, new JobOwner("444455556666", "apia", "prod", null));
        killAll("rd");
        String pending = queue().enqueue("rd", new byte[] {2}, 3, mine);

        List<String> redriven = queue().redrive("rd", JobOwner.of("111122223333", "apia", null),
                List.of(dead, theirs, pending, "no-such-job", dead));
        assertThat(redriven).containsExactly(dead);
        assertThat(queue().find(dead)).get().satisfies(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.PENDING);
            assertThat(j.attempts()).isZero();
            assertThat(j.lastError()).isEmpty();
        });
        assertThat(queue().find(theirs)).get().extracting(Job::status).isEqualTo(JobStatus.DEAD);
        assertThat(queue().redrive("rd", JobOwner.of("111122223333", "apia", null), List.of(dead)))
                .as("no longer dead").isEmpty();

        List<Job> again = queue().claim("rd", "w", 10, Duration.ofMinutes(1));
        assertThat(again).extracting(Job::id).containsExactlyInAnyOrder(dead, pending);
        Job redelivered = again.stream().filter(j -> j.id().equals(dead)).findFirst().orElseThrow();
        assertThat(redelivered.payload()).containsExactly(42, 43);
        assertThat(redelivered.attempts()).isEqualTo(1);
        assertThat(queue().fail(dead, "still failing", Duration.ofMillis(1))).as("a fresh set of attempts, used up")
                .isEqualTo(JobStatus.DEAD);
    }

    @Test
    void redriveAllMovesTheMatchingDeadJobsOnceEvenWhenRacing() throws Exception {
        JobOwner prod = new JobOwner("111122223333", "apia", "prod", null);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(queue().enqueue("ra", new byte[] {(byte) i}, 1, prod));
        }
        String beta = queue().enqueue("ra", new byte[] {9}, 1, new JobOwner("111122223333", "apia", "beta", null));
        killAll("ra");

        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            results.add(pool.submit(() -> {
                int n = 0;
                for (String id : queue().redriveAll("ra", JobOwner.of("111122223333", "apia", "prod"), 100)) {
                    assertThat(seen.add(id)).as("redriven twice: " + id).isTrue();
                    n++;
                }
                return n;
            }));
        }
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get();
        }
        pool.shutdown();
        assertThat(total).isEqualTo(20);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(queue().find(beta)).get().extracting(Job::status).isEqualTo(JobStatus.DEAD);
        assertThat(queue().redriveAll("ra", JobOwner.of("111122223333", "apia", null), 100)).containsExactly(beta);
    }

    @Test
    void aTopicVersionNarrowsListingAndRedrivingToThatVersionAndJobsWithoutOne() {
        JobOwner earlier = new JobOwner("111122223333", "apia", "prod", "{}", 1000L);
        JobOwner current = new JobOwner("111122223333", "apia", "prod", "{}", 2000L);
        String old1 = queue().enqueue("tv", new byte[] {1}, 1, earlier);
        String old2 = queue().enqueue("tv", new byte[] {2}, 1, earlier);
        String now1 = queue().enqueue("tv", new byte[] {3}, 1, current);
        String now2 = queue().enqueue("tv", new byte[] {4}, 1, current);
        String legacy = queue().enqueue("tv", new byte[] {5}, 1, new JobOwner("111122223333", "apia", "prod", "{}"));
        killAll("tv");
        assertThat(queue().find(now1)).get().extracting(j -> j.owner().topicVersion()).isEqualTo(2000L);
        assertThat(queue().find(legacy)).get().extracting(j -> j.owner().topicVersion()).isNull();

        JobOwner apiA = JobOwner.of("111122223333", "apia", null);
        assertThat(queue().deadLetters("tv", apiA, null, 10)).as("no version: all of them")
                .extracting(JobInfo::id).containsExactlyInAnyOrder(old1, old2, now1, now2, legacy);
        List<JobInfo> listed = queue().deadLetters("tv", apiA.withTopicVersion(2000L), null, 10);
        assertThat(listed).extracting(JobInfo::id).containsExactlyInAnyOrder(now1, now2, legacy);
        assertThat(listed).filteredOn(j -> j.id().equals(now1)).singleElement()
                .extracting(j -> j.owner().topicVersion()).isEqualTo(2000L);
        List<String> paged = new ArrayList<>();
        JobInfo.Cursor cursor = null;
        for (int page = 0; page < 10; page++) {
            List<JobInfo> got = queue().deadLetters("tv", JobOwner.of("111122223333", "apia", "prod")
                    .withTopicVersion(2000L), cursor, 1);
            if (got.isEmpty()) {
                break;
            }
            paged.add(got.get(0).id());
            cursor = got.get(0).cursor();
        }
        assertThat(paged).containsExactlyElementsOf(listed.stream().map(JobInfo::id).toList());

        assertThat(queue().redrive("tv", apiA.withTopicVersion(2000L), List.of(old1, now1)))
                .as("the earlier version's job is not redriven").containsExactly(now1);
        assertThat(queue().find(old1)).get().extracting(Job::status).isEqualTo(JobStatus.DEAD);
        assertThat(queue().redriveAll("tv", JobOwner.of("111122223333", "apia", "prod").withTopicVersion(2000L), 100))
                .containsExactlyInAnyOrder(now2, legacy);
        assertThat(queue().redriveAll("tv", apiA.withTopicVersion(2000L), 100)).isEmpty();
        assertThat(queue().deadLetters("tv", apiA, null, 10)).extracting(JobInfo::id)
                .containsExactlyInAnyOrder(old1, old2);
        assertThat(queue().redriveAll("tv", apiA.withTopicVersion(1000L), 100)).containsExactlyInAnyOrder(old1, old2);
    }

    /**
     * Jobs as a store at migration 5 holds them: the gateway's (payload JSON as the gateway writes it, with
     * and without the API's creation time, and one not JSON at all), a done one, another queue's.
     */
    static void insertV5Jobs(java.sql.Connection c, String schema) throws java.sql.SQLException {
        String gateway = "{\"v\":1,\"requestId\":\"5f0c2a1e-0b7e-4c3e-9a51-2b1d7f3c9e10\",\"apiCreatedAt\":"
                + "1700000000123,\"viewSequence\":7,\"method\":\"POST\",\"url\":\"http://u/x\",\"timeoutMillis\":"
                + "29000,\"headers\":[[\"h\",\"\u00e9\"]],\"body\":\"" + "QUJD".repeat(300) + "\"}";
        String older = "{\"v\":1,\"requestId\":\"6f0c2a1e-0b7e-4c3e-9a51-2b1d7f3c9e10\",\"method\":\"POST\","
                + "\"url\":\"http://u/x\",\"timeoutMillis\":29000,\"headers\":[],\"body\":\"\"}";
        Object[][] rows = {
            {"v5-dead", "gateway-delivery", gateway, "DEAD", "apia"},
            {"v5-pending", "gateway-delivery", gateway, "PENDING", "apia"},
            {"v5-done", "gateway-delivery", gateway, "SUCCEEDED", "apia"},
            {"v5-older", "gateway-delivery", older, "DEAD", "apia"},
            {"v5-unowned", "gateway-delivery", gateway, "DEAD", null},
            {"v5-other-queue", "other", gateway, "DEAD", "apia"},
        };
        try (java.sql.PreparedStatement s = c.prepareStatement("INSERT INTO " + schema + "jobs (id, queue, payload, "
                + "status, attempts, max_attempts, run_at, created_at, updated_at, owner, topic, label) "
                + "VALUES (?, ?, ?, ?, 1, 1, 0, 0, 0, ?, ?, 'prod')")) {
            for (Object[] r : rows) {
                s.setString(1, (String) r[0]);
                s.setString(2, (String) r[1]);
                s.setBytes(3, ((String) r[2]).getBytes(StandardCharsets.UTF_8));
                s.setString(4, (String) r[3]);
                s.setString(5, r[4] == null ? null : "111122223333");
                s.setString(6, (String) r[4]);
                s.executeUpdate();
            }
            s.setString(1, "v5-binary");
            s.setString(2, "gateway-delivery");
            s.setBytes(3, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '"'});
            s.setString(4, "DEAD");
            s.setString(5, "111122223333");
            s.setString(6, "apia");
            s.executeUpdate();
        }
    }

    /** The gateway's live and dead jobs that recorded the API's creation time have it as their topic version. */
    static void assertV5JobsMigrated(JobQueue q) {
        java.util.Map<String, Long> expected = new java.util.LinkedHashMap<>();
        expected.put("v5-dead", 1700000000123L);
        expected.put("v5-pending", 1700000000123L);
        expected.put("v5-done", null);
        expected.put("v5-older", null);
        expected.put("v5-unowned", null);
        expected.put("v5-other-queue", null);
        expected.put("v5-binary", null);
        expected.forEach((id, version) -> assertThat(q.find(id)).as(id).get()
                .extracting(j -> j.owner().topicVersion()).isEqualTo(version));
        assertThat(q.deadLetters("gateway-delivery", JobOwner.of("111122223333", "apia", null).withTopicVersion(1L),
                null, 10)).extracting(JobInfo::id).containsExactlyInAnyOrder("v5-older", "v5-binary");
    }

    static final JobOwner AGED = new JobOwner("111122223333", "apia", "prod", null);

    @Test
    void aJobClaimedAfterItsDeadlineIsDeadLetteredWithoutBeingDelivered() {
        JobQueue q = timed();
        Instant enqueued = clock.instant();
        String retrying = q.enqueue("age", new byte[] {1}, 5, AGED, Duration.ofSeconds(60));
        String failedOnce = q.enqueue("age", new byte[] {2}, 5, AGED, Duration.ofSeconds(60));
        String leased = q.enqueue("age", new byte[] {3}, 5, AGED, Duration.ofSeconds(60));
        String younger = q.enqueue("age", new byte[] {4}, 5, AGED, Duration.ofSeconds(120));
        assertThat(q.find(retrying)).get().extracting(Job::expiresAt)
                .isEqualTo(java.util.Optional.of(enqueued.plusSeconds(60)));

        // failedOnce fails its first attempt (retry due in 10 s); leased's worker dies holding a 10 s lease.
        assertThat(q.claim("age", "w", 10, Duration.ofSeconds(10))).hasSize(4);
        q.fail(failedOnce, "upstream answered 503", Duration.ofSeconds(10));
        q.complete(younger);
        q.fail(retrying, "upstream answered 502", Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(q.claim("age", "w", 10, Duration.ofSeconds(10))).extracting(Job::id).containsExactly(retrying);
        q.fail(retrying, "upstream answered 502", Duration.ofSeconds(1));
        String expiresLater = q.enqueue("age", new byte[] {5}, 5, AGED, Duration.ofSeconds(60));

        clock.advance(Duration.ofSeconds(59));  // 60 s after the first three were enqueued: their deadline
        List<Job> claimed = q.claim("age", "w", 10, Duration.ofSeconds(10));
        assertThat(claimed).as("only the job whose deadline is still ahead").extracting(Job::id)
                .containsExactly(expiresLater);
        assertThat(q.find(retrying)).get().satisfies(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.DEAD);
            assertThat(j.attempts()).as("not claimed again").isEqualTo(2);
            assertThat(j.lastError()).contains("maximum event age exceeded; last error: upstream answered 502");
        });
        assertThat(q.find(failedOnce)).get().satisfies(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.DEAD);
            assertThat(j.attempts()).isEqualTo(1);
            assertThat(j.lastError()).contains("maximum event age exceeded; last error: upstream answered 503");
        });
        assertThat(q.find(leased)).get().satisfies(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.DEAD);
            assertThat(j.leaseOwner()).isEmpty();
            assertThat(j.lastError()).contains(JobQueue.AGE_EXCEEDED);
        });
        assertThat(q.deadLetters("age", JobOwner.of("111122223333", "apia", null), null, 10))
                .extracting(JobInfo::id).containsExactlyInAnyOrder(retrying, failedOnce, leased);
        assertThat(q.claim("age", "w", 10, Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void aFailureWhoseRetryWouldBeDueAfterTheDeadlineDeadLettersAtOnce() {
        JobQueue q = timed();
        String aged = q.enqueue("age-retry", new byte[] {1}, 10, AGED, Duration.ofSeconds(60));
        String unlimited = q.enqueue("age-retry", new byte[] {2}, 10, AGED);
        q.claim("age-retry", "w", 10, Duration.ofMinutes(1));
        assertThat(q.fail(aged, "upstream answered 503", Duration.ofSeconds(20))).as("retry due at 20 s")
                .isEqualTo(JobStatus.PENDING);
        assertThat(q.fail(unlimited, "upstream answered 503", Duration.ofSeconds(20))).isEqualTo(JobStatus.PENDING);
        clock.advance(Duration.ofSeconds(20));
        assertThat(q.claim("age-retry", "w", 10, Duration.ofMinutes(1))).hasSize(2);
        assertThat(q.fail(aged, "upstream answered 503 again", Duration.ofSeconds(20)))
                .as("the next retry (40 s later) would be due at the 60 s deadline").isEqualTo(JobStatus.DEAD);
        assertThat(q.fail(unlimited, "upstream answered 503 again", Duration.ofSeconds(20))).isEqualTo(JobStatus.PENDING);
        assertThat(q.find(aged)).get().satisfies(j -> {
            assertThat(j.attempts()).isEqualTo(2);
            assertThat(j.lastError()).contains("maximum event age exceeded; last error: upstream answered 503 again");
        });
        assertThat(q.find(unlimited)).get().satisfies(j -> assertThat(j.expiresAt()).isEmpty());
    }

    @Test
    void aRedriveStartsAFreshAgeWindowOfTheSameLengthAndResetsAttempts() {
        JobQueue q = timed();
        String id = q.enqueue("age-redrive", new byte[] {7, 8}, 3, AGED, Duration.ofSeconds(90));
        clock.advance(Duration.ofSeconds(90));
        assertThat(q.claim("age-redrive", "w", 10, Duration.ofMinutes(1))).isEmpty();
        assertThat(q.find(id)).get().extracting(Job::status).isEqualTo(JobStatus.DEAD);

        clock.advance(Duration.ofHours(7));
        Instant redrivenAt = clock.instant();
        assertThat(q.redrive("age-redrive", JobOwner.of("111122223333", "apia", null), List.of(id))).containsExactly(id);
        assertThat(q.find(id)).get().satisfies(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.PENDING);
            assertThat(j.attempts()).isZero();
            assertThat(j.lastError()).isEmpty();
            assertThat(j.expiresAt()).contains(redrivenAt.plusSeconds(90));
        });
        clock.advance(Duration.ofSeconds(89));
        assertThat(q.claim("age-redrive", "w", 10, Duration.ofMinutes(1))).singleElement().satisfies(j -> {
            assertThat(j.payload()).containsExactly(7, 8);
            assertThat(j.attempts()).isEqualTo(1);
        });
        assertThat(q.fail(id, "upstream answered 503", Duration.ofSeconds(1))).as("the new window has run out")
                .isEqualTo(JobStatus.DEAD);

        clock.advance(Duration.ofMinutes(5));
        Instant again = clock.instant();
        assertThat(q.redriveAll("age-redrive", JobOwner.of("111122223333", "apia", "prod"), 10)).containsExactly(id);
        assertThat(q.find(id)).get().extracting(Job::expiresAt).isEqualTo(java.util.Optional.of(again.plusSeconds(90)));
    }

    @Test
    void aJobWithoutAMaximumAgeIsDeliveredHowEverOld() {
        JobQueue q = timed();
        String id = q.enqueue("no-age", new byte[] {1}, 2, AGED);
        clock.advance(Duration.ofDays(365));
        assertNoAgeLimit(q, "no-age", id, JobOwner.of("111122223333", "apia", null));
    }

    /** {@code id} (pending, one attempt left of two) is claimed and retried whatever the time, and keeps no deadline. */
    void assertNoAgeLimit(JobQueue q, String queue, String id, JobOwner owner) {
        assertThat(q.claim(queue, "w", 10, Duration.ofMinutes(1))).extracting(Job::id).containsExactly(id);
        assertThat(q.fail(id, "upstream answered 503", Duration.ofDays(30))).isEqualTo(JobStatus.PENDING);
        clock.advance(Duration.ofDays(30));
        assertThat(q.claim(queue, "w", 10, Duration.ofMinutes(1))).extracting(Job::id).containsExactly(id);
        assertThat(q.fail(id, "upstream answered 503", Duration.ofDays(30))).isEqualTo(JobStatus.DEAD);
        assertThat(q.find(id)).get().extracting(Job::lastError).isEqualTo(java.util.Optional.of("upstream answered 503"));
        assertThat(q.redrive(queue, owner, List.of(id))).containsExactly(id);
        assertThat(q.find(id)).get().extracting(Job::expiresAt).isEqualTo(java.util.Optional.empty());
        clock.advance(Duration.ofDays(365));
        assertThat(q.claim(queue, "w", 10, Duration.ofMinutes(1))).extracting(Job::id).containsExactly(id);
    }
}
