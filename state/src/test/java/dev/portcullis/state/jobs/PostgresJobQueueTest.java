package dev.portcullis.state.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.state.PostgresSupport;
import dev.portcullis.state.store.PostgresStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresJobQueueTest extends JobQueueContract {
    String schema;
    PostgresStore store;

    @BeforeEach
    void open() {
        PostgresSupport.requirePostgres();
        schema = PostgresSupport.freshSchema();
        store = PostgresStore.open(PostgresSupport.URL, schema, 6);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            PostgresSupport.drop(schema);
        }
    }

    @Override
    JobQueue queue() {
        return store.jobs();
    }

    @Test
    void aJobTableFromBeforeAttributionMigratesAndItsJobsStillRun() throws Exception {
        String old = PostgresSupport.freshSchema();
        try {
            Flyway.configure().dataSource(PostgresSupport.URL, null, null).schemas(old).defaultSchema(old)
                    .createSchemas(true).locations("classpath:db/migration/postgresql").target("1").load().migrate();
            try (Connection c = DriverManager.getConnection(PostgresSupport.URL); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + old + ".jobs (id, queue, payload, status, attempts, max_attempts, run_at, "
                        + "created_at, updated_at) VALUES ('old-job', 'gateway-delivery', '\\x7b7d', 'PENDING', 0, 3, 0, 0, 0)");
            }
            try (PostgresStore migrated = PostgresStore.open(PostgresSupport.URL, old, 2)) {
                assertThat(migrated.jobs().claim("gateway-delivery", "w", 10, Duration.ofMinutes(1))).singleElement()
                        .satisfies(j -> assertThat(j.id()).isEqualTo("old-job"));
                assertThat(migrated.jobs().fail("old-job", "boom", Duration.ofMillis(1))).isEqualTo(JobStatus.PENDING);
                String fresh = migrated.jobs().enqueue("gateway-delivery", new byte[] {1}, 1,
                        new JobOwner("111122223333", "apia", "prod", "{}"));
                assertThat(migrated.jobs().find(fresh)).isPresent();
            }
        } finally {
            PostgresSupport.drop(old);
        }
    }

    @Test
    void aJobFromBeforeTheMaxAgeMigrationHasNoAgeLimit() throws Exception {
        String old = PostgresSupport.freshSchema();
        try {
            Flyway.configure().dataSource(PostgresSupport.URL, null, null).schemas(old).defaultSchema(old)
                    .createSchemas(true).locations("classpath:db/migration/postgresql").target("4").load().migrate();
            try (Connection c = DriverManager.getConnection(PostgresSupport.URL); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + old + ".jobs (id, queue, payload, status, attempts, max_attempts, run_at, "
                        + "created_at, updated_at, owner, topic, label) VALUES ('v4-job', 'gateway-delivery', '\\x7b7d', "
                        + "'PENDING', 0, 2, 0, 0, 0, '111122223333', 'apia', 'prod')");
            }
            try (PostgresStore migrated = PostgresStore.open(PostgresSupport.URL, old, 2)) {
                JdbcJobQueue q = ((JdbcJobQueue) migrated.jobs()).withClock(clock);
                assertThat(q.find("v4-job")).get().extracting(Job::expiresAt).isEqualTo(java.util.Optional.empty());
                assertNoAgeLimit(q, "gateway-delivery", "v4-job", JobOwner.of("111122223333", "apia", null));
            }
        } finally {
            PostgresSupport.drop(old);
        }
    }
    @Test
    void theGatewaysJobsFromBeforeTopicVersionsGetTheApiCreationTimeTheirPayloadRecorded() throws Exception {
        String old = PostgresSupport.freshSchema();
        try {
            Flyway.configure().dataSource(PostgresSupport.URL, null, null).schemas(old).defaultSchema(old)
                    .createSchemas(true).locations("classpath:db/migration/postgresql").target("5").load().migrate();
            try (Connection c = DriverManager.getConnection(PostgresSupport.URL)) {
                insertV5Jobs(c, old + ".");
            }
            try (PostgresStore migrated = PostgresStore.open(PostgresSupport.URL, old, 2)) {
                assertV5JobsMigrated(migrated.jobs());
            }
        } finally {
            PostgresSupport.drop(old);
        }
    }
}
