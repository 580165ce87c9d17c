package dev.portcullis.state.jobs;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The durable job queue. Thread-safe, blocking; safe for several nodes on one PostgreSQL. */
public interface JobQueue {

    /** The most jobs {@link #redriveAll} moves in one call. */
    int MAX_REDRIVE_BATCH = 1000;

    /** Enqueues a job to run now, belonging to nobody; returns its id. */
    default String enqueue(String queue, byte[] payload, int maxAttempts) {
        return enqueue(queue, payload, maxAttempts, JobOwner.NONE);
    }

    /** What a job's last error says when it was given up because its maximum age had passed. */
    String AGE_EXCEEDED = "maximum event age exceeded";

    /** Enqueues a job to run now, attributed to {@code owner} (indexed, for listing), with no maximum age. */
    default String enqueue(String queue, byte[] payload, int maxAttempts, JobOwner owner) {
        return enqueue(queue, payload, maxAttempts, owner, null);
    }

    /**
     * Enqueues a job to run now, attributed to {@code owner} (indexed, for listing); returns its id.
     * Unless {@code maxAge} is null, the job's deadline is now plus {@code maxAge}: from then on it is
     * never delivered again but dead-lettered with {@link #AGE_EXCEEDED} (when claimed after the
     * deadline, or when a failed attempt's backoff would reach it).
     */
    String enqueue(String queue, byte[] payload, int maxAttempts, JobOwner owner, Duration maxAge);

    /**
     * Leases up to {@code limit} ready jobs of {@code queue} to {@code worker} for {@code lease}
     * (ready: pending and due, or running with an expired lease). Each job goes to one claimer.
     * Ready jobs past their deadline are dead-lettered in the same transaction instead, and not returned.
     */
    List<Job> claim(String queue, String worker, int limit, Duration lease);

    /** Marks a claimed job done. */
    void complete(String jobId);

    /**
     * Records a failed attempt: the job runs again after {@code backoffBase * 2^(attempts-1)}
     * (capped at one hour), or becomes {@link JobStatus#DEAD} after its last attempt, or at once
     * when that delay would reach its deadline (its last error then starts with {@link #AGE_EXCEEDED}).
     * Returns the new status.
     */
    JobStatus fail(String jobId, String error, Duration backoffBase);

    /**
     * Dead-letters a claimed job at once, without delivering it, because its owner no longer wants it
     * delivered: its last error becomes {@code reason}, followed by its last failure when it had one
     * ({@code reason; last error: …}), as for {@link #AGE_EXCEEDED}, and the claim is not counted as an
     * attempt. A job that is not claimed (running) is left alone.
     */
    void abandon(String jobId, String reason);

    Optional<Job> find(String jobId);

    /** Dead-lettered jobs of a queue, oldest first. */
    List<Job> dead(String queue, int limit);

    /**
     * One page of the dead-lettered jobs of {@code queue} owned by {@code owner.account()} under
     * {@code owner.topic()} (and {@code owner.label()} unless null; of {@code owner.topicVersion()} or of no
     * recorded version, unless null), oldest enqueued first, starting
     * after {@code after} (null for the first page). Reads the indexed columns only, never payloads.
     */
    List<JobInfo> deadLetters(String queue, JobOwner owner, JobInfo.Cursor after, int limit);

    /**
     * Puts the given dead jobs of {@code queue} owned by {@code owner.account()} under
     * {@code owner.topic()} (of {@code owner.topicVersion()} or of no recorded version, unless null) back to
     * pending, due now, with their attempts reset, a fresh age window
     * (a job enqueued with a maximum age gets a deadline that far from now) and their payload
     * unchanged. Ids that are unknown, someone else's, or not dead are left alone. Returns the ids
     * redriven. Safe against concurrent redrives: each job is redriven once.
     */
    List<String> redrive(String queue, JobOwner owner, Collection<String> jobIds);

    /**
     * Redrives up to {@code limit} (at most {@value #MAX_REDRIVE_BATCH}) of the oldest dead jobs
     * matching {@code owner} (its label and topic version too, unless null), as {@link #redrive}. Returns the ids redriven.
     */
    List<String> redriveAll(String queue, JobOwner owner, int limit);
}
