/**
 * Where the change log, snapshots and jobs live: the {@link dev.portcullis.state.store.Store}
 * interface and its two backends, SQLite (default, one file in the data directory, WAL,
 * synchronous commits) and PostgreSQL (several nodes), both plain JDBC through HikariCP with
 * Flyway migrations ({@code db/migration/sqlite}, {@code db/migration/postgresql}). Blocking: call
 * from worker threads, never from an event loop.
 */
package dev.portcullis.state.store;
