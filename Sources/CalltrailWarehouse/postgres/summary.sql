-- calltrail_summary: queries/summary.sql for PostgreSQL, over the warehouse's calls of every site or
-- of one: the headline figures of docs/METRICS.md over inbound calls offered in [p_from, p_to), with
-- the same names and formats (ratios with 4 decimals, seconds with 1), so a BI tool shows what
-- `calltrail report` shows. Per-queue T and S come from the site's queue_settings.
--   SELECT * FROM calltrail_summary('2026-03-01T00:00:00-03:00', '2026-03-02T00:00:00-03:00', 20, 5);
--   SELECT * FROM calltrail_summary('2026-03-01T00:00:00-03:00', '2026-03-02T00:00:00-03:00', 20, 5, 'madrid');
-- One source for both dialects was weighed and not taken (docs/DESIGN.md): the SQL differs in its
-- time functions, its formatting and JSON, and each file stays runnable as-is in its own shell.
CREATE OR REPLACE FUNCTION calltrail_summary(p_from timestamptz, p_to timestamptz, p_threshold double precision,
                                             p_short_abandon double precision, p_site text DEFAULT NULL,
                                             p_queues text[] DEFAULT NULL)
RETURNS TABLE (offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, service_level text, sl_v1_answered text, sl_v2_offered text,
               sl_v3_ignore_late_abandons text, sl_v4_with_abandoned text, abandon_rate text, abandon_rate_all text,
               asa_s text, avg_wait_abandoned_s text, max_wait_s text, aht_s text, avg_talk_s text, avg_hold_s text,
               p50_wait_s text, p90_wait_s text)
LANGUAGE sql STABLE AS $$
WITH offered AS (
    SELECT outcome, wait_s, talk_s, hold_s, handle_s, t, s FROM calltrail_offered(p_from, p_to, 'UTC', p_threshold, p_short_abandon, p_site, p_queues)
),
counts AS (
    SELECT count(*) AS offered,
           count(*) FILTER (WHERE outcome = 'answered') AS answered,
           count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
           count(*) FILTER (WHERE outcome = 'abandoned' AND wait_s < s) AS short_abandoned,
           count(*) FILTER (WHERE outcome = 'answered' AND wait_s <= t) AS answered_in_t,
           count(*) FILTER (WHERE outcome = 'abandoned' AND wait_s <= t) AS abandoned_in_t,
           avg(wait_s) FILTER (WHERE outcome = 'answered') AS asa,
           avg(wait_s) FILTER (WHERE outcome = 'abandoned') AS wait_abandoned,
           max(wait_s) AS max_wait,
           avg(handle_s) FILTER (WHERE outcome = 'answered') AS aht,
           avg(talk_s) FILTER (WHERE outcome = 'answered') AS talk,
           avg(hold_s) FILTER (WHERE outcome = 'answered') AS hold
    FROM offered
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
       (SELECT calltrail_format(wait_s, 1) FROM ranked WHERE reached >= (total * 90 + 99) / 100 ORDER BY wait_s LIMIT 1)
FROM counts c
$$;
