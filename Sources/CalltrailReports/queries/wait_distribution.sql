-- wait_distribution: how long inbound callers waited, answered beside abandoned, in buckets
-- [low, high) seconds, counted from the interval tallies' waits (call_tally_waits: each slot's distinct
-- waits with how many calls waited that long). (Service level counts wait <= T; a bucket edge at T is
-- only a display edge.)
-- Parameters: :from, :to, :tz, :queues as in summary.sql. Tallies count whole slots: :from and :to fall on
-- quarter hours (a report's days and intervals do).
-- Time zones: only the period bounds.
WITH buckets(low, high) AS (
    VALUES (0, 5), (5, 10), (10, 20), (20, 30), (30, 60), (60, 120), (120, 300), (300, NULL)
),
waits AS (
    SELECT w.outcome, w.wait_s, w.calls
    FROM call_tallies t JOIN call_tally_waits w ON w.tally = t.id
    WHERE t.slot_utc >= unixepoch(:from) AND t.slot_utc < unixepoch(:to) AND w.wait_s IS NOT NULL
      AND (:queues IS NULL OR t.queue IN (SELECT value FROM json_each(:queues)))
),
-- Each distinct wait falls in one bucket: its calls counted there.
counts AS (
    SELECT b.low, sum(CASE WHEN w.outcome = 'answered' THEN w.calls ELSE 0 END) AS answered,
           sum(CASE WHEN w.outcome = 'abandoned' THEN w.calls ELSE 0 END) AS abandoned
    FROM waits w CROSS JOIN buckets b ON w.wait_s >= b.low AND (b.high IS NULL OR w.wait_s < b.high)
    GROUP BY b.low
)
SELECT CASE WHEN high IS NULL THEN b.low || '+' ELSE b.low || '-' || high END AS wait_bucket_s, b.low AS low_s, high AS high_s,
       coalesce(c.answered, 0) AS answered, coalesce(c.abandoned, 0) AS abandoned
FROM buckets b LEFT JOIN counts c ON c.low = b.low
ORDER BY b.low;
