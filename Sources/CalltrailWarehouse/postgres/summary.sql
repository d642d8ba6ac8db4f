-- calltrail_summary: queries/summary.sql for PostgreSQL, over the warehouse's calls of every site or
-- of one: the headline figures of docs/METRICS.md over inbound calls offered in [p_from, p_to), with
-- the same names and formats (ratios with 4 decimals, seconds with 1), so a BI tool shows what
-- `calltrail report` shows. Per-queue T and S come from the site's queue_settings.
-- Every calltrail_* dataset function takes the same parameters, each with the report's default but the
-- period, so a BI tool names only what it changes:
--   SELECT * FROM calltrail_summary('2026-03-01T00:00:00-03:00', '2026-03-02T00:00:00-03:00');
--   SELECT * FROM calltrail_summary('2026-03-01T00:00:00-03:00', '2026-03-02T00:00:00-03:00',
--                                   p_threshold => 30, p_site => 'madrid', p_queues => ARRAY['Ventas<-']);
-- p_site NULL reads every site.
-- One source for both dialects was weighed and not taken (docs/DESIGN.md): the SQL differs in its
-- time functions, its formatting and JSON, and each file stays runnable as-is in its own shell.
-- calltrail_summary_tallies: the headline's counts and unrounded means, typed: what calltrail_summary
-- formats and what `calltrail report --from-warehouse` draws its cards and variants from.
CREATE OR REPLACE FUNCTION calltrail_summary_tallies(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, asa double precision, wait_abandoned double precision, max_wait double precision,
               aht double precision, talk double precision, hold double precision)
LANGUAGE sql STABLE AS $$
SELECT coalesce(g.offered, 0), coalesce(g.answered, 0), coalesce(g.abandoned, 0), coalesce(g.short_abandoned, 0),
       coalesce(g.answered_in_t, 0), coalesce(g.abandoned_in_t, 0), g.asa, g.wait_abandoned, g.max_wait, g.aht, g.talk, g.hold
FROM (SELECT 1) one
LEFT JOIN calltrail_group_tallies(p_from, p_to, 'UTC', p_interval, p_threshold, p_short_abandon, p_site, p_queues, 'all') g ON true
$$;

CREATE OR REPLACE FUNCTION calltrail_summary(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, service_level text, sl_v1_answered text, sl_v2_offered text,
               sl_v3_ignore_late_abandons text, sl_v4_with_abandoned text, abandon_rate text, abandon_rate_all text,
               asa_s text, avg_wait_abandoned_s text, max_wait_s text, aht_s text, avg_talk_s text, avg_hold_s text,
               p50_wait_s text, p90_wait_s text, threshold_s text, short_abandon_s text, time_zone text)
LANGUAGE sql STABLE AS $$
SELECT f.*, calltrail_format(p_threshold, 1), calltrail_format(p_short_abandon, 1), p_tz
FROM (SELECT 1) one
LEFT JOIN calltrail_group_tallies(p_from, p_to, 'UTC', p_interval, p_threshold, p_short_abandon, p_site, p_queues, 'all') g ON true
CROSS JOIN LATERAL calltrail_figures(g.offered, g.answered, g.abandoned, g.short_abandoned, g.answered_in_t, g.abandoned_in_t, g.asa,
                                     g.wait_abandoned, g.max_wait, g.aht, g.talk, g.hold, g.ranked_waits, g.p50, g.p90) f
$$;
