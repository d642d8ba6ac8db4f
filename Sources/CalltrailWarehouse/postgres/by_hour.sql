-- calltrail_by_hour: queries/by_hour.sql for PostgreSQL: offered, answered and abandoned by hour of the day
-- on the clock of p_tz, all 24 hours listed, summed from the interval tallies.
CREATE OR REPLACE FUNCTION calltrail_by_hour(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (hour integer, offered bigint, answered bigint, abandoned bigint)
LANGUAGE sql STABLE AS $$
WITH per_hour AS (
    SELECT extract(hour FROM t.slot_start AT TIME ZONE p_tz)::integer AS h, sum(t.offered)::bigint AS offered,
           sum(t.answered)::bigint AS answered, sum(t.abandoned)::bigint AS abandoned
    FROM interval_tallies t
    WHERE t.slot_start >= p_from AND t.slot_start < p_to
      AND (p_site IS NULL OR t.site = p_site)
      AND (p_queues IS NULL OR t.queue = ANY (p_queues))
    GROUP BY 1
)
SELECT h.h, coalesce(p.offered, 0), coalesce(p.answered, 0), coalesce(p.abandoned, 0)
FROM generate_series(0, 23) AS h(h) LEFT JOIN per_hour p ON p.h = h.h
ORDER BY h.h
$$;
