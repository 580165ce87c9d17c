package dev.portcullis.state.jobs;

import java.time.Instant;
import java.util.Optional;

/**
 * A job as listed, without its payload: its id, owner columns, status, attempts, last error,
 * when it was enqueued and when it last changed (for a dead job, when it was dead-lettered).
 */
public record JobInfo(String id, String queue, JobOwner owner, JobStatus status, int attempts, int maxAttempts,
                      Optional<String> lastError, Instant createdAt, Instant updatedAt) {

    /** Where a listing stopped: it continues after this job (created-at, then id order). */
    public record Cursor(long createdAtMillis, String id) {
    }

    /** The cursor that continues a listing after this job. */
    public Cursor cursor() {
        return new Cursor(createdAt.toEpochMilli(), id);
    }
}
