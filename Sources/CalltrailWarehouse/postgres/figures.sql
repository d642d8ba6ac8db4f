-- calltrail_group_tallies: the counts, unrounded means and nearest-rank wait percentiles behind every
-- inbound figure of summary.csv, per group of the offered calls: p_grain 'all' (one group, the summary),
-- 'interval' (the UTC second the interval starts, on the clock of p_tz), 'day' (YYYY-MM-DD of p_tz), 'week'
-- (the date of the ISO week's Monday), 'month' (YYYY-MM),
-- 'queue', 'number' or 'queue_interval' (the interval's second, a space, the queue). Groups without offered calls are absent. Numerators and denominators are
-- counted from the calls, never averaged from smaller groups; a percentile is the smallest answered
-- wait whose rank reaches ceil(p · n), an answered call without a wait ranked first as SQLite ranks NULL.
CREATE OR REPLACE FUNCTION calltrail_group_tallies(p_from timestamptz, p_to timestamptz, p_tz text, p_interval integer,
    p_threshold double precision, p_short_abandon double precision, p_site text, p_queues text[], p_grain text)
RETURNS TABLE (grp text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, asa double precision, wait_abandoned double precision, max_wait double precision,
               aht double precision, talk double precision, hold double precision, transferred bigint,
               t double precision, s double precision, ranked_waits bigint, p50 double precision, p90 double precision)
LANGUAGE sql STABLE AS $$
WITH o AS (
    SELECT CASE p_grain WHEN 'interval' THEN (c.queued_s - c.local_s % (p_interval * 60))::text
                        WHEN 'day' THEN to_char(to_timestamp(c.local_s) AT TIME ZONE 'UTC', 'YYYY-MM-DD')
                        WHEN 'week' THEN to_char(date_trunc('week', to_timestamp(c.local_s) AT TIME ZONE 'UTC'), 'YYYY-MM-DD')
                        WHEN 'month' THEN to_char(to_timestamp(c.local_s) AT TIME ZONE 'UTC', 'YYYY-MM')
                        WHEN 'queue' THEN coalesce(c.queue, '(none)')
                        WHEN 'number' THEN coalesce(c.did, '(unknown)')
                        WHEN 'queue_interval' THEN (c.queued_s - c.local_s % (p_interval * 60))::text || ' ' || coalesce(c.queue, '(none)')
                        ELSE 'all' END AS grp, c.*
    FROM calltrail_offered(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, p_queues) c
),
ranked AS (
    SELECT grp, wait_s, row_number() OVER (PARTITION BY grp ORDER BY wait_s NULLS FIRST) AS k, count(*) OVER (PARTITION BY grp) AS n
    FROM o WHERE outcome = 'answered'
),
percentiles AS (
    SELECT grp, max(n) AS n,
           max(coalesce(wait_s, 0)) FILTER (WHERE k = (n * 50 + 99) / 100) AS p50,
           max(coalesce(wait_s, 0)) FILTER (WHERE k = (n * 90 + 99) / 100) AS p90
    FROM ranked GROUP BY grp
),
tallies AS (
    SELECT grp, count(*) AS offered,
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
           avg(hold_s) FILTER (WHERE outcome = 'answered') AS hold,
           count(*) FILTER (WHERE transfers > 0) AS transferred,
           min(t) AS t, min(s) AS s
    FROM o GROUP BY grp
)
SELECT g.grp, g.offered, g.answered, g.abandoned, g.short_abandoned, g.answered_in_t, g.abandoned_in_t, g.asa, g.wait_abandoned,
       g.max_wait, g.aht, g.talk, g.hold, g.transferred, g.t, g.s, coalesce(p.n, 0), p.p50, p.p90
FROM tallies g LEFT JOIN percentiles p ON p.grp = g.grp
$$;

-- calltrail_figures: one group's tallies formatted as summary.csv's inbound columns (ratios with 4
-- decimals, seconds with 1, an empty cell for a ratio over zero); a group without calls (NULL counts)
-- shows zeros. Every grain's dataset formats through it.
CREATE OR REPLACE FUNCTION calltrail_figures(g_offered bigint, g_answered bigint, g_abandoned bigint, g_short_abandoned bigint,
    g_answered_in_t bigint, g_abandoned_in_t bigint, g_asa double precision, g_wait_abandoned double precision, g_max_wait double precision,
    g_aht double precision, g_talk double precision, g_hold double precision, g_ranked_waits bigint, g_p50 double precision, g_p90 double precision)
RETURNS TABLE (offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, service_level text, sl_v1_answered text, sl_v2_offered text,
               sl_v3_ignore_late_abandons text, sl_v4_with_abandoned text, abandon_rate text, abandon_rate_all text,
               asa_s text, avg_wait_abandoned_s text, max_wait_s text, aht_s text, avg_talk_s text, avg_hold_s text,
               p50_wait_s text, p90_wait_s text)
LANGUAGE sql IMMUTABLE AS $$
SELECT o, a, b, sh, ait, bit,
       CASE WHEN o - sh > 0 THEN calltrail_format(1.0 * ait / (o - sh), 4) END,
       CASE WHEN a > 0 THEN calltrail_format(1.0 * ait / a, 4) END,
       CASE WHEN a + b > 0 THEN calltrail_format(1.0 * ait / (a + b), 4) END,
       CASE WHEN a + b - bit > 0 THEN calltrail_format(1.0 * ait / (a + b - bit), 4) END,
       CASE WHEN a + b > 0 THEN calltrail_format(1.0 * (ait + bit) / (a + b), 4) END,
       CASE WHEN o - sh > 0 THEN calltrail_format(1.0 * (b - sh) / (o - sh), 4) END,
       CASE WHEN o > 0 THEN calltrail_format(1.0 * b / o, 4) END,
       calltrail_format(g_asa, 1), calltrail_format(g_wait_abandoned, 1), calltrail_format(g_max_wait, 1),
       calltrail_format(g_aht, 1), calltrail_format(g_talk, 1), calltrail_format(g_hold, 1),
       CASE WHEN g_ranked_waits > 0 THEN calltrail_format(g_p50, 1) END,
       CASE WHEN g_ranked_waits > 0 THEN calltrail_format(g_p90, 1) END
FROM (SELECT coalesce(g_offered, 0) AS o, coalesce(g_answered, 0) AS a, coalesce(g_abandoned, 0) AS b,
             coalesce(g_short_abandoned, 0) AS sh, coalesce(g_answered_in_t, 0) AS ait, coalesce(g_abandoned_in_t, 0) AS bit) c
$$;
