-- calltrail_by_day: queries/by_day.sql for PostgreSQL: every figure of the summary per day of the period on
-- the clock of p_tz that has offered calls, with by_day.csv's names and formats.
CREATE OR REPLACE FUNCTION calltrail_by_day(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (day text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, service_level text, sl_v1_answered text, sl_v2_offered text,
               sl_v3_ignore_late_abandons text, sl_v4_with_abandoned text, abandon_rate text, abandon_rate_all text,
               asa_s text, avg_wait_abandoned_s text, max_wait_s text, aht_s text, avg_talk_s text, avg_hold_s text,
               p50_wait_s text, p90_wait_s text)
LANGUAGE sql STABLE AS $$
SELECT g.grp, f.*
FROM calltrail_group_tallies(p_from, p_to, p_tz, p_interval, p_threshold, p_short_abandon, p_site, p_queues, 'day') g
CROSS JOIN LATERAL calltrail_figures(g.offered, g.answered, g.abandoned, g.short_abandoned, g.answered_in_t, g.abandoned_in_t, g.asa,
                                     g.wait_abandoned, g.max_wait, g.aht, g.talk, g.hold, g.ranked_waits, g.p50, g.p90) f
ORDER BY g.grp
$$;

-- calltrail_day_tallies: per day of the period on the clock of p_tz with offered calls, its counts and unrounded
-- means, typed: the 30-day trend of `calltrail report --from-warehouse`.
CREATE OR REPLACE FUNCTION calltrail_day_tallies(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (day text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, asa double precision, aht double precision)
LANGUAGE sql STABLE AS $$
SELECT g.grp, g.offered, g.answered, g.abandoned, g.short_abandoned, g.answered_in_t, g.abandoned_in_t, g.asa, g.aht
FROM calltrail_group_tallies(p_from, p_to, p_tz, p_interval, p_threshold, p_short_abandon, p_site, p_queues, 'day') g
ORDER BY g.grp
$$;
