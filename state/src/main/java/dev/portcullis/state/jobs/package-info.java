/**
 * The durable job table behind the gateway's async invocations: enqueue, claim (PostgreSQL
 * {@code FOR UPDATE SKIP LOCKED}; SQLite an immediate write transaction, which serializes
 * claimers), complete, retry with exponential backoff, dead-letter after the last attempt.
 * A claim is a lease: a job whose lease expires (its worker died) is claimable again.
 */
package dev.portcullis.state.jobs;
