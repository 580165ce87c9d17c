-- The change log: one row per applied change, sequence numbers unique and gap-free;
-- actor is who asked for the change (a principal ARN), when known.
CREATE TABLE change_log (
    seq         INTEGER PRIMARY KEY,
    change_type TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    actor       TEXT,
    recorded_at INTEGER NOT NULL
);

CREATE TABLE snapshots (
    seq        INTEGER PRIMARY KEY,
    format     INTEGER NOT NULL,
    data       BLOB    NOT NULL,
    created_at INTEGER NOT NULL
);

-- Durable async jobs (gateway invocations).
CREATE TABLE jobs (
    id            TEXT    PRIMARY KEY,
    queue         TEXT    NOT NULL,
    payload       BLOB    NOT NULL,
    status        TEXT    NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL,
    run_at        INTEGER NOT NULL,
    lease_owner   TEXT,
    lease_until   INTEGER,
    last_error    TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX jobs_ready ON jobs (queue, status, run_at);
