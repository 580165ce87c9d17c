package dev.portcullis.state.jobs;

import dev.portcullis.state.store.SqliteStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
}
