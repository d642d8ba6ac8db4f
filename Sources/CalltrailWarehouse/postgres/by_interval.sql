-- calltrail_interval_tallies: per p_interval minutes on the clock of p_tz, every interval of [p_from, p_to)
-- listed, empty ones too, with its counts and unrounded means, typed: what calltrail_by_interval formats
-- and what `calltrail report --from-warehouse` draws its interval chart and staffing view from. A DST
-- day has 23 or 25 hours of intervals, the repeated hour told apart by its offset.
CREATE OR REPLACE FUNCTION calltrail_interval_tallies(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (start_s bigint, interval_start text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint,
               answered_in_t bigint, asa double precision, aht double precision)
LANGUAGE sql STABLE AS $$
WITH bounds AS (
    SELECT floor(extract(epoch FROM p_from))::bigint AS f, floor(extract(epoch FROM p_to))::bigint AS e, p_interval * 60 AS step
),
grid AS (
    -- From the interval holding p_from on the local clock, each next start while before p_to.
    SELECT generate_series(b.f - ((b.f + calltrail_offset(b.f, p_tz)) % b.step), b.e - 1, b.step) AS t FROM bounds b
),
calls_in AS (
    -- The UTC instant of the interval holding the offer on the local clock.
    SELECT queued_s - (local_s % (p_interval * 60)) AS bucket, outcome, wait_s, handle_s, t, s
    FROM calltrail_offered(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, p_queues)
),
per_bucket AS (
    SELECT bucket, count(*) AS offered,
           count(*) FILTER (WHERE outcome = 'answered') AS answered,
           count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
           count(*) FILTER (WHERE outcome = 'abandoned' AND wait_s < s) AS short_abandoned,
           count(*) FILTER (WHERE outcome = 'answered' AND wait_s <= t) AS answered_in_t,
           avg(wait_s) FILTER (WHERE outcome = 'answered') AS asa,
           avg(handle_s) FILTER (WHERE outcome = 'answered') AS aht
    FROM calls_in GROUP BY bucket
)
SELECT g.t, to_char(to_timestamp(g.t + calltrail_offset(g.t, p_tz)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
           || calltrail_offset_label(calltrail_offset(g.t, p_tz)),
       coalesce(p.offered, 0), coalesce(p.answered, 0), coalesce(p.abandoned, 0), coalesce(p.short_abandoned, 0),
       coalesce(p.answered_in_t, 0), p.asa, p.aht
FROM grid g LEFT JOIN per_bucket p ON p.bucket = g.t
ORDER BY g.t
$$;

-- calltrail_by_interval: queries/by_interval.sql for PostgreSQL: offered, answered, abandoned and service
-- level per interval, with by_interval.csv's names and formats.
--   SELECT * FROM calltrail_by_interval('2024-11-03T00:00:00-04:00', '2024-11-04T00:00:00-05:00',
--                                       p_tz => 'America/New_York', p_interval => 15);
CREATE OR REPLACE FUNCTION calltrail_by_interval(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (interval_start text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint,
               answered_in_t bigint, service_level text, abandon_rate text, asa_s text, aht_s text)
LANGUAGE sql STABLE AS $$
SELECT i.interval_start, i.offered, i.answered, i.abandoned, i.short_abandoned, i.answered_in_t,
       CASE WHEN i.offered - i.short_abandoned > 0 THEN calltrail_format(1.0 * i.answered_in_t / (i.offered - i.short_abandoned), 4) END,
       CASE WHEN i.offered - i.short_abandoned > 0
            THEN calltrail_format(1.0 * (i.abandoned - i.short_abandoned) / (i.offered - i.short_abandoned), 4) END,
       calltrail_format(i.asa, 1), calltrail_format(i.aht, 1)
FROM calltrail_interval_tallies(p_from, p_to, p_tz, p_interval, p_threshold, p_short_abandon, p_site, p_queues) i
ORDER BY i.start_s
$$;
