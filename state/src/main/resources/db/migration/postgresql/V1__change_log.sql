-- The change log: one row per applied change, sequence numbers unique and gap-free;
-- actor is who asked for the change (a principal ARN), when known.
CREATE TABLE change_log (
    seq         BIGINT PRIMARY KEY,
    change_type TEXT   NOT NULL,
    payload     TEXT   NOT NULL,
    actor       TEXT,
    recorded_at BIGINT NOT NULL
);

CREATE TABLE snapshots (
    seq        BIGINT  PRIMARY KEY,
    format     INTEGER NOT NULL,
    data       BYTEA   NOT NULL,
    created_at BIGINT  NOT NULL
);

-- Durable async jobs (gateway invocations).
CREATE TABLE jobs (
    id            TEXT    PRIMARY KEY,
    queue         TEXT    NOT NULL,
    payload       BYTEA   NOT NULL,
    status        TEXT    NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL,
    run_at        BIGINT  NOT NULL,
    lease_owner   TEXT,
    lease_until   BIGINT,
    last_error    TEXT,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
CREATE INDEX jobs_ready ON jobs (queue, status, run_at);
