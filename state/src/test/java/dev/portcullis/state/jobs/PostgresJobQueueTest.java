package dev.portcullis.state.jobs;

import dev.portcullis.state.PostgresSupport;
import dev.portcullis.state.store.PostgresStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

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
}
