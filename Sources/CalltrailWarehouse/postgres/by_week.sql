-- calltrail_by_week: queries/by_week.sql for PostgreSQL: every figure of the summary per ISO week (Monday to
-- Sunday) on the clock of p_tz with offered calls: the ISO week (2026-W49) and its Monday.
CREATE OR REPLACE FUNCTION calltrail_by_week(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (week text, week_start text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, service_level text, sl_v1_answered text, sl_v2_offered text,
               sl_v3_ignore_late_abandons text, sl_v4_with_abandoned text, abandon_rate text, abandon_rate_all text,
               asa_s text, avg_wait_abandoned_s text, max_wait_s text, aht_s text, avg_talk_s text, avg_hold_s text,
               p50_wait_s text, p90_wait_s text)
LANGUAGE sql STABLE AS $$
SELECT to_char(g.grp::date, 'IYYY-"W"IW'), g.grp, f.*
FROM calltrail_group_tallies(p_from, p_to, p_tz, p_interval, p_threshold, p_short_abandon, p_site, p_queues, 'week') g
CROSS JOIN LATERAL calltrail_figures(g.offered, g.answered, g.abandoned, g.short_abandoned, g.answered_in_t, g.abandoned_in_t, g.asa,
                                     g.wait_abandoned, g.max_wait, g.aht, g.talk, g.hold, g.ranked_waits, g.p50, g.p90) f
ORDER BY g.grp
$$;

