-- A job may have a maximum age (the gateway: a route's maxEventAgeSeconds, as Lambda's
-- MaximumEventAgeInSeconds): expires_at is the deadline (epoch ms) from which it is dead-lettered
-- instead of delivered, max_age_ms the length of that window, which a redrive starts again. Rows
-- from before this migration keep NULLs: they have no age limit.
ALTER TABLE jobs ADD COLUMN expires_at BIGINT;
ALTER TABLE jobs ADD COLUMN max_age_ms BIGINT;
