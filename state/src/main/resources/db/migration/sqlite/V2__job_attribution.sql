-- Jobs say whom they belong to, so dead letters can be listed and redriven per owner without
-- reading payloads: owner (an account id), topic (e.g. a gateway API id), label (e.g. a stage) and
-- summary (a small JSON description the owner chose, never the payload). Rows from before this
-- migration keep NULLs: they are still delivered, but no owner lists them.
ALTER TABLE jobs ADD COLUMN owner   TEXT;
ALTER TABLE jobs ADD COLUMN topic   TEXT;
ALTER TABLE jobs ADD COLUMN label   TEXT;
ALTER TABLE jobs ADD COLUMN summary TEXT;
-- Listing one topic's dead letters, oldest first, in keyset pages.
CREATE INDEX jobs_topic ON jobs (queue, owner, topic, status, created_at, id);
