-- Created in SQLite too so both dialects share one migration history; only the PostgreSQL store uses it.
-- Signatures that replay-protected gateway routes accepted, shared by the nodes of a cluster: a
-- second node inserting the same key loses on the primary key and refuses the replay. Rows are
-- useless after expires_at (the signature no longer verifies) and are purged in batches.
CREATE TABLE replay_signatures (
    signature_key TEXT   PRIMARY KEY,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX replay_signatures_expiry ON replay_signatures (expires_at);
