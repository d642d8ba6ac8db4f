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
),
-- Each wait falls in one bucket: one pass over the waits, counted per bucket.
counts AS (
    SELECT b.low, sum(w.outcome = 'answered') AS answered, sum(w.outcome = 'abandoned') AS abandoned
    FROM waits w CROSS JOIN buckets b ON w.wait_s >= b.low AND (b.high IS NULL OR w.wait_s < b.high)
    GROUP BY b.low
)
SELECT CASE WHEN high IS NULL THEN b.low || '+' ELSE b.low || '-' || high END AS wait_bucket_s, b.low AS low_s, high AS high_s,
       coalesce(c.answered, 0) AS answered, coalesce(c.abandoned, 0) AS abandoned
FROM buckets b LEFT JOIN counts c ON c.low = b.low
ORDER BY b.low;
