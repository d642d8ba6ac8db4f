-- calltrail_wait_distribution: queries/wait_distribution.sql for PostgreSQL: answered and abandoned calls by
-- how long they waited, in wait_distribution.csv's buckets, counted from the interval tallies' waits.
CREATE OR REPLACE FUNCTION calltrail_wait_distribution(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (wait_bucket_s text, low_s integer, high_s integer, answered bigint, abandoned bigint)
LANGUAGE sql STABLE AS $$
WITH buckets(low, high) AS (
    VALUES (0, 5), (5, 10), (10, 20), (20, 30), (30, 60), (60, 120), (120, 300), (300, NULL)
),
waits AS (
    SELECT w.outcome, w.wait_s, w.calls
    FROM interval_tallies t JOIN interval_tally_waits w ON w.site = t.site AND w.tally = t.id
    WHERE t.slot_start >= p_from AND t.slot_start < p_to
      AND (p_site IS NULL OR t.site = p_site)
      AND (p_queues IS NULL OR t.queue = ANY (p_queues))
),
counts AS (
    SELECT b.low, coalesce(sum(w.calls) FILTER (WHERE w.outcome = 'answered'), 0)::bigint AS answered,
           coalesce(sum(w.calls) FILTER (WHERE w.outcome = 'abandoned'), 0)::bigint AS abandoned
    FROM waits w
    JOIN buckets b ON w.wait_s >= b.low AND (b.high IS NULL OR w.wait_s < b.high)
    GROUP BY b.low
)
SELECT CASE WHEN b.high IS NULL THEN b.low || '+' ELSE b.low || '-' || b.high END, b.low, b.high,
       coalesce(c.answered, 0), coalesce(c.abandoned, 0)
FROM buckets b LEFT JOIN counts c ON c.low = b.low
ORDER BY b.low
$$;
