package dev.portcullis.state.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.state.store.SqliteStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteJobQueueTest extends JobQueueContract {
    @TempDir
    Path dir;
    SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("jobs.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    JobQueue queue() {
        return store.jobs();
    }

    @Test
    void aJobTableFromBeforeAttributionMigratesAndItsJobsStillRun() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("old.db").toAbsolutePath();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("1")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO jobs (id, queue, payload, status, attempts, max_attempts, run_at, created_at, "
                    + "updated_at) VALUES ('old-job', 'gateway-delivery', x'7b7d', 'PENDING', 0, 3, 0, 0, 0)");
        }
        try (SqliteStore migrated = SqliteStore.open(dir.resolve("old.db"))) {
            assertThat(migrated.jobs().claim("gateway-delivery", "w", 10, Duration.ofMinutes(1))).singleElement()
                    .satisfies(j -> assertThat(j.id()).isEqualTo("old-job"));
            assertThat(migrated.jobs().fail("old-job", "boom", Duration.ofMillis(1))).isEqualTo(JobStatus.PENDING);
            String fresh = migrated.jobs().enqueue("gateway-delivery", new byte[] {1}, 1,
                    new JobOwner("111122223333", "apia", "prod", "{}"));
            assertThat(migrated.jobs().find(fresh)).isPresent();
        }
    }

    @Test
    void aJobFromBeforeTheMaxAgeMigrationHasNoAgeLimit() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("v4.db").toAbsolutePath();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("4")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO jobs (id, queue, payload, status, attempts, max_attempts, run_at, created_at, "
                    + "updated_at, owner, topic, label) VALUES ('v4-job', 'gateway-delivery', x'7b7d', 'PENDING', 0, 2, "
                    + "0, 0, 0, '111122223333', 'apia', 'prod')");
        }
        try (SqliteStore migrated = SqliteStore.open(dir.resolve("v4.db"))) {
            JdbcJobQueue q = ((JdbcJobQueue) migrated.jobs()).withClock(clock);
            assertThat(q.find("v4-job")).get().extracting(Job::expiresAt).isEqualTo(java.util.Optional.empty());
            assertNoAgeLimit(q, "gateway-delivery", "v4-job", JobOwner.of("111122223333", "apia", null));
        }
    }
    @Test
    void theGatewaysJobsFromBeforeTopicVersionsGetTheApiCreationTimeTheirPayloadRecorded() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("v5.db").toAbsolutePath();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("5")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(url)) {
            insertV5Jobs(c, "");
        }
        try (SqliteStore migrated = SqliteStore.open(dir.resolve("v5.db"))) {
            assertV5JobsMigrated(migrated.jobs());
        }
    }
}
