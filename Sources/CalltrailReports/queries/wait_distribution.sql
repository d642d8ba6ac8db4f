-- wait_distribution: how long inbound callers waited, answered beside abandoned, in buckets
-- [low, high) seconds. (Service level counts wait <= T; a bucket edge at T is only a display edge.)
-- Parameters: :from, :to, :tz, :queues as in summary.sql.
-- Time zones: only the period bounds.
WITH buckets(low, high) AS (
    VALUES (0, 5), (5, 10), (10, 20), (20, 30), (30, 60), (60, 120), (120, 300), (300, NULL)
),
waits AS (
    SELECT outcome, wait_s FROM report_calls
    WHERE zone = :tz AND direction = 'inbound' AND queued_at IS NOT NULL AND wait_s IS NOT NULL
      AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
      AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
)
SELECT CASE WHEN high IS NULL THEN low || '+' ELSE low || '-' || high END AS wait_bucket_s, low AS low_s, high AS high_s,
       (SELECT count(*) FROM waits WHERE outcome = 'answered' AND wait_s >= low AND (high IS NULL OR wait_s < high)) AS answered,
       (SELECT count(*) FROM waits WHERE outcome = 'abandoned' AND wait_s >= low AND (high IS NULL OR wait_s < high)) AS abandoned
FROM buckets ORDER BY low;
