-- calltrail_by_day: queries/by_day.sql for PostgreSQL: the days of the period on the clock of p_tz that have
-- offered calls, with by_day.csv's names and formats.
CREATE OR REPLACE FUNCTION calltrail_by_day(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (day text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               service_level text, abandon_rate text, asa_s text, aht_s text)
LANGUAGE sql STABLE AS $$
WITH per_day AS (
    SELECT to_char(to_timestamp(local_s) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS offered,
           count(*) FILTER (WHERE outcome = 'answered') AS answered,
           count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
           count(*) FILTER (WHERE outcome = 'abandoned' AND wait_s < s) AS short_abandoned,
           count(*) FILTER (WHERE outcome = 'answered' AND wait_s <= t) AS answered_in_t,
           avg(wait_s) FILTER (WHERE outcome = 'answered') AS asa,
           avg(handle_s) FILTER (WHERE outcome = 'answered') AS aht
    FROM calltrail_offered(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, p_queues)
    GROUP BY 1
)
SELECT day, offered, answered, abandoned, short_abandoned, answered_in_t,
       CASE WHEN offered - short_abandoned > 0 THEN calltrail_format(1.0 * answered_in_t / (offered - short_abandoned), 4) END,
       CASE WHEN offered - short_abandoned > 0 THEN calltrail_format(1.0 * (abandoned - short_abandoned) / (offered - short_abandoned), 4) END,
       calltrail_format(asa, 1), calltrail_format(aht, 1)
FROM per_day ORDER BY day
$$;
