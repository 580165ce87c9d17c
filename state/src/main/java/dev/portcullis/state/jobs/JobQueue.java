package dev.portcullis.state.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The durable job queue. Thread-safe, blocking; safe for several nodes on one PostgreSQL. */
public interface JobQueue {

    /** Enqueues a job to run now; returns its id. */
    String enqueue(String queue, byte[] payload, int maxAttempts);

    /**
     * Leases up to {@code limit} ready jobs of {@code queue} to {@code worker} for {@code lease}
     * (ready: pending and due, or running with an expired lease). Each job goes to one claimer.
     */
    List<Job> claim(String queue, String worker, int limit, Duration lease);

    /** Marks a claimed job done. */
    void complete(String jobId);

    /**
     * Records a failed attempt: the job runs again after {@code backoffBase * 2^(attempts-1)}
     * (capped at one hour), or becomes {@link JobStatus#DEAD} after its last attempt. Returns the
     * new status.
     */
    JobStatus fail(String jobId, String error, Duration backoffBase);

    Optional<Job> find(String jobId);

    /** Dead-lettered jobs of a queue, oldest first. */
    List<Job> dead(String queue, int limit);
}
