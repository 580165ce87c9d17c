package dev.portcullis.state.jobs;

/** A job's lifecycle: waiting to run, leased by a worker, done, or given up (dead letter). */
public enum JobStatus {
    PENDING, RUNNING, SUCCEEDED, DEAD
}
