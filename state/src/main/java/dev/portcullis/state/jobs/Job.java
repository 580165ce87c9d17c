package dev.portcullis.state.jobs;

import java.time.Instant;
import java.util.Optional;

/**
 * A job row. {@code attempts} counts claims so far; {@code lastError} is the last failure's text;
 * {@code expiresAt} is the deadline after which it is no longer delivered (empty: no age limit);
 * {@code owner} is whom it was enqueued for ({@link JobOwner#NONE}'s nulls for a job from before attribution).
 */
public record Job(String id, String queue, byte[] payload, JobStatus status, int attempts, int maxAttempts,
                  Instant runAt, Optional<String> leaseOwner, Optional<String> lastError, Instant createdAt,
                  Optional<Instant> expiresAt, JobOwner owner) {
    @Override
    public String toString() {
        return "Job[" + id + ", " + queue + ", " + status + ", attempts=" + attempts + "]";
    }
}
