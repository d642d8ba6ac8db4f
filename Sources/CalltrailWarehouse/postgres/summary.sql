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
SELECT count(*),
       count(*) FILTER (WHERE outcome = 'answered'),
       count(*) FILTER (WHERE outcome = 'abandoned'),
       count(*) FILTER (WHERE outcome = 'abandoned' AND wait_s < s),
       count(*) FILTER (WHERE outcome = 'answered' AND wait_s <= t),
       count(*) FILTER (WHERE outcome = 'abandoned' AND wait_s <= t),
       avg(wait_s) FILTER (WHERE outcome = 'answered'),
       avg(wait_s) FILTER (WHERE outcome = 'abandoned'),
       max(wait_s),
       avg(handle_s) FILTER (WHERE outcome = 'answered'),
       avg(talk_s) FILTER (WHERE outcome = 'answered'),
       avg(hold_s) FILTER (WHERE outcome = 'answered')
FROM calltrail_offered(p_from, p_to, 'UTC', p_threshold, p_short_abandon, p_site, p_queues)
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
WITH offered AS (
    SELECT outcome, wait_s FROM calltrail_offered(p_from, p_to, 'UTC', p_threshold, p_short_abandon, p_site, p_queues)
),
counts AS (
    SELECT * FROM calltrail_summary_tallies(p_from, p_to, p_tz, p_interval, p_threshold, p_short_abandon, p_site, p_queues)
),
-- Nearest rank, as summary.sql: the smallest answered wait whose running count reaches ceil(p · n).
ranked AS (
    SELECT wait_s, row_number() OVER (ORDER BY wait_s) AS reached, count(*) OVER () AS total
    FROM offered WHERE outcome = 'answered'
)
SELECT c.offered, c.answered, c.abandoned, c.short_abandoned, c.answered_in_t, c.abandoned_in_t,
       CASE WHEN c.offered - c.short_abandoned > 0 THEN calltrail_format(1.0 * c.answered_in_t / (c.offered - c.short_abandoned), 4) END,
       CASE WHEN c.answered > 0 THEN calltrail_format(1.0 * c.answered_in_t / c.answered, 4) END,
       CASE WHEN c.answered + c.abandoned > 0 THEN calltrail_format(1.0 * c.answered_in_t / (c.answered + c.abandoned), 4) END,
       CASE WHEN c.answered + c.abandoned - c.abandoned_in_t > 0
            THEN calltrail_format(1.0 * c.answered_in_t / (c.answered + c.abandoned - c.abandoned_in_t), 4) END,
       CASE WHEN c.answered + c.abandoned > 0
            THEN calltrail_format(1.0 * (c.answered_in_t + c.abandoned_in_t) / (c.answered + c.abandoned), 4) END,
       CASE WHEN c.offered - c.short_abandoned > 0
            THEN calltrail_format(1.0 * (c.abandoned - c.short_abandoned) / (c.offered - c.short_abandoned), 4) END,
       CASE WHEN c.offered > 0 THEN calltrail_format(1.0 * c.abandoned / c.offered, 4) END,
       calltrail_format(c.asa, 1), calltrail_format(c.wait_abandoned, 1), calltrail_format(c.max_wait, 1),
       calltrail_format(c.aht, 1), calltrail_format(c.talk, 1), calltrail_format(c.hold, 1),
       (SELECT calltrail_format(wait_s, 1) FROM ranked WHERE reached >= (total * 50 + 99) / 100 ORDER BY wait_s LIMIT 1),
       (SELECT calltrail_format(wait_s, 1) FROM ranked WHERE reached >= (total * 90 + 99) / 100 ORDER BY wait_s LIMIT 1),
       calltrail_format(p_threshold, 1), calltrail_format(p_short_abandon, 1), p_tz
FROM counts c
$$;
