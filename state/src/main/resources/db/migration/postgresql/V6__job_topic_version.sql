-- A job may record which incarnation of its topic it belongs to (the gateway: the creation time of
-- the API, epoch ms), so the dead letters of an API that was deleted and created again under the same
-- id are not listed or redriven as the new API's. Rows without one keep NULL and match any version.
ALTER TABLE jobs ADD COLUMN topic_version BIGINT;
-- The gateway's jobs from before this migration carry that time in their payload only, written by the
-- gateway as JSON that starts {"v":1,"requestId":"<uuid>","apiCreatedAt":<ms>,... : copy it over for
-- the jobs that can still be delivered or redriven. Payloads without it stay NULL. (encode 'escape'
-- never fails on bytes that are not UTF-8.)
UPDATE jobs
   SET topic_version = CAST(substring(encode(substring(payload FROM 1 FOR 512), 'escape')
                                      FROM '"apiCreatedAt":([0-9]{1,18})') AS BIGINT)
 WHERE queue = 'gateway-delivery' AND topic IS NOT NULL AND status <> 'SUCCEEDED'
   AND encode(substring(payload FROM 1 FOR 512), 'escape') ~ '"apiCreatedAt":[0-9]';
