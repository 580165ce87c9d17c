-- A job may record which incarnation of its topic it belongs to (the gateway: the creation time of
-- the API, epoch ms), so the dead letters of an API that was deleted and created again under the same
-- id are not listed or redriven as the new API's. Rows without one keep NULL and match any version.
ALTER TABLE jobs ADD COLUMN topic_version INTEGER;
-- The gateway's jobs from before this migration carry that time in their payload only, written by the
-- gateway as JSON that starts {"v":1,"requestId":"<uuid>","apiCreatedAt":<ms>,... : copy it over for
-- the jobs that can still be delivered or redriven. Payloads without it stay NULL.
UPDATE jobs
   SET topic_version = CAST(substr(CAST(substr(payload, 1, 512) AS TEXT),
                                   instr(CAST(substr(payload, 1, 512) AS TEXT), '"apiCreatedAt":') + 15) AS INTEGER)
 WHERE queue = 'gateway-delivery' AND topic IS NOT NULL AND status <> 'SUCCEEDED'
   AND instr(CAST(substr(payload, 1, 512) AS TEXT), '"apiCreatedAt":') > 0;
