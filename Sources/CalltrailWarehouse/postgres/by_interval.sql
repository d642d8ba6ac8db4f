-- calltrail_interval_grid: every p_interval-minute interval of [p_from, p_to) on the clock of p_tz, empty
-- ones too: the interval of each quarter hour of the period on the clock in force then, its UTC second and
-- how by_interval shows its start (local time with the offset of the quarter hours it holds, the first's
-- where two clocks share one). A DST day has 23 or 25 hours of intervals, the repeated hour told apart by
-- its offset; a clock moved by half an hour (Lord Howe) starts its intervals half an hour off the earlier
-- ones, which a grid stepped from p_from would miss.
CREATE OR REPLACE FUNCTION calltrail_interval_grid(p_from timestamptz, p_to timestamptz, p_tz text, p_interval integer)
RETURNS TABLE (start_s bigint, interval_start text)
LANGUAGE sql STABLE AS $$
WITH bounds AS (
    SELECT floor(extract(epoch FROM p_from))::bigint AS f, floor(extract(epoch FROM p_to))::bigint AS e, p_interval * 60 AS step
),
quarters AS (
    SELECT q.s, calltrail_offset(q.s, p_tz) AS off, b.step
    FROM bounds b CROSS JOIN LATERAL generate_series(b.f, b.e - 1, 900) AS q(s)
),
starts AS (
    SELECT DISTINCT ON (t) s - ((s + off) % step) AS t, off FROM quarters ORDER BY t, s
)
SELECT t, to_char(to_timestamp(t + off) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || calltrail_offset_label(off)
FROM starts
ORDER BY t
$$;

-- calltrail_interval_tallies: per interval of the grid, its counts and unrounded means, typed: what
-- `calltrail report --from-warehouse` draws its interval chart and staffing view from.
CREATE OR REPLACE FUNCTION calltrail_interval_tallies(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (start_s bigint, interval_start text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint,
               answered_in_t bigint, asa double precision, aht double precision)
LANGUAGE sql STABLE AS $$
SELECT i.start_s, i.interval_start, coalesce(g.offered, 0), coalesce(g.answered, 0), coalesce(g.abandoned, 0),
       coalesce(g.short_abandoned, 0), coalesce(g.answered_in_t, 0), g.asa, g.aht
FROM calltrail_interval_grid(p_from, p_to, p_tz, p_interval) i
LEFT JOIN calltrail_group_tallies(p_from, p_to, p_tz, p_interval, p_threshold, p_short_abandon, p_site, p_queues, 'interval') g
       ON g.grp = i.start_s::text
ORDER BY i.start_s
$$;

-- calltrail_by_interval: queries/by_interval.sql for PostgreSQL: every figure of the summary per interval,
-- with by_interval.csv's names and formats.
--   SELECT * FROM calltrail_by_interval('2024-11-03T00:00:00-04:00', '2024-11-04T00:00:00-05:00',
--                                       p_tz => 'America/New_York', p_interval => 15);
CREATE OR REPLACE FUNCTION calltrail_by_interval(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (interval_start text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, service_level text, sl_v1_answered text, sl_v2_offered text,
               sl_v3_ignore_late_abandons text, sl_v4_with_abandoned text, abandon_rate text, abandon_rate_all text,
               asa_s text, avg_wait_abandoned_s text, max_wait_s text, aht_s text, avg_talk_s text, avg_hold_s text,
               p50_wait_s text, p90_wait_s text)
LANGUAGE sql STABLE AS $$
SELECT i.interval_start, f.*
FROM calltrail_interval_grid(p_from, p_to, p_tz, p_interval) i
LEFT JOIN calltrail_group_tallies(p_from, p_to, p_tz, p_interval, p_threshold, p_short_abandon, p_site, p_queues, 'interval') g
       ON g.grp = i.start_s::text
CROSS JOIN LATERAL calltrail_figures(g.offered, g.answered, g.abandoned, g.short_abandoned, g.answered_in_t, g.abandoned_in_t, g.asa,
                                     g.wait_abandoned, g.max_wait, g.aht, g.talk, g.hold, g.ranked_waits, g.p50, g.p90) f
ORDER BY i.start_s
$$;
