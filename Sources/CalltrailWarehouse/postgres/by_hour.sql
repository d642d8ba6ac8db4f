-- calltrail_by_hour: queries/by_hour.sql for PostgreSQL: offered, answered and abandoned by hour of the day
-- on the clock of p_tz, all 24 hours listed.
CREATE OR REPLACE FUNCTION calltrail_by_hour(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (hour integer, offered bigint, answered bigint, abandoned bigint)
LANGUAGE sql STABLE AS $$
WITH per_hour AS (
    SELECT (local_s % 86400 / 3600)::integer AS h, count(*) AS offered,
           count(*) FILTER (WHERE outcome = 'answered') AS answered, count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned
    FROM calltrail_offered(p_from, p_to, p_tz, 0, 0, p_site, p_queues)
    GROUP BY 1
)
SELECT h.h, coalesce(p.offered, 0), coalesce(p.answered, 0), coalesce(p.abandoned, 0)
FROM generate_series(0, 23) AS h(h) LEFT JOIN per_hour p ON p.h = h.h
ORDER BY h.h
$$;
