/**
 * The durable job table behind the gateway's async invocations: enqueue, claim (PostgreSQL
 * {@code FOR UPDATE SKIP LOCKED}; SQLite an immediate write transaction, which serializes
 * claimers), complete, retry with exponential backoff, dead-letter after the last attempt or,
 * for a job enqueued with a maximum age, once its deadline has passed (or its next retry would be
 * due after it); a redrive gives it a new window of the same length. A claim is a lease: a job whose lease expires (its worker died) is claimable again. Jobs carry
 * their owner ({@link dev.portcullis.state.jobs.JobOwner}: account, topic, label, summary) in
 * indexed columns, so an owner's dead letters are listed in keyset pages and redriven without
 * reading any payload.
 */
package dev.portcullis.state.jobs;
