-- calltrail_group_tallies: the counts, unrounded means and nearest-rank wait percentiles behind every
-- inbound figure of summary.csv, per group of the interval tallies (interval_tallies, each site's 15-minute
-- slots) in [p_from, p_to): p_grain 'all' (one group, the summary), 'interval' (the UTC second the interval
-- starts, on the clock of p_tz), 'day' (YYYY-MM-DD of p_tz), 'week' (the date of the ISO week's Monday),
-- 'month' (YYYY-MM), 'queue', 'number' or 'queue_interval' (the interval's second, a space, the queue).
-- Groups without offered calls are absent. Counts and sums are added from the slots, never averaged from
-- smaller groups; T and S (the site's queue_settings, else the report's) count from each slot's distinct
-- waits, so any T and S are exact; a percentile is the smallest answered wait whose running count reaches
-- ceil(p · n), an answered call without a wait ranked first as SQLite ranks NULL. A slot is 15 minutes of
-- every zone (offsets are whole quarter hours), so the tallies serve any p_tz.
CREATE OR REPLACE FUNCTION calltrail_group_tallies(p_from timestamptz, p_to timestamptz, p_tz text, p_interval integer,
    p_threshold double precision, p_short_abandon double precision, p_site text, p_queues text[], p_grain text)
RETURNS TABLE (grp text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, asa double precision, wait_abandoned double precision, max_wait double precision,
               aht double precision, talk double precision, hold double precision, transferred bigint,
               t double precision, s double precision, ranked_waits bigint, p50 double precision, p90 double precision)
LANGUAGE sql STABLE AS $$
WITH slots AS (
    SELECT it.*, coalesce(q.threshold_s, p_threshold) AS t, coalesce(q.short_abandon_s, p_short_abandon) AS s,
           floor(extract(epoch FROM it.slot_start))::bigint AS slot_s
    FROM interval_tallies it LEFT JOIN queue_settings q ON q.site = it.site AND q.queue = it.queue
    WHERE it.slot_start >= p_from AND it.slot_start < p_to
      AND (p_site IS NULL OR it.site = p_site)
      AND (p_queues IS NULL OR it.queue = ANY (p_queues))
),
o AS (
    SELECT CASE p_grain WHEN 'interval' THEN (l.slot_s - l.local_s % (p_interval * 60))::text
                        WHEN 'day' THEN to_char(to_timestamp(l.local_s) AT TIME ZONE 'UTC', 'YYYY-MM-DD')
                        WHEN 'week' THEN to_char(date_trunc('week', to_timestamp(l.local_s) AT TIME ZONE 'UTC'), 'YYYY-MM-DD')
                        WHEN 'month' THEN to_char(to_timestamp(l.local_s) AT TIME ZONE 'UTC', 'YYYY-MM')
                        WHEN 'queue' THEN coalesce(l.queue, '(none)')
                        WHEN 'number' THEN coalesce(l.did, '(unknown)')
                        WHEN 'queue_interval' THEN (l.slot_s - l.local_s % (p_interval * 60))::text || ' ' || coalesce(l.queue, '(none)')
                        ELSE 'all' END AS grp, l.*
    FROM (SELECT slots.*, slots.slot_s + calltrail_offset(slots.slot_s, p_tz) AS local_s FROM slots) l
),
waits AS (
    SELECT o.grp, o.t, o.s, w.outcome, w.wait_s, w.calls
    FROM o JOIN interval_tally_waits w ON w.site = o.site AND w.tally = o.id
),
measured AS (
    SELECT grp,
           coalesce(sum(calls) FILTER (WHERE outcome = 'abandoned' AND wait_s < s), 0)::bigint AS short_abandoned,
           coalesce(sum(calls) FILTER (WHERE outcome = 'answered' AND wait_s <= t), 0)::bigint AS answered_in_t,
           coalesce(sum(calls) FILTER (WHERE outcome = 'abandoned' AND wait_s <= t), 0)::bigint AS abandoned_in_t
    FROM waits GROUP BY grp
),
ranked AS (
    SELECT grp, wait_s,
           sum(calls) OVER (PARTITION BY grp ORDER BY wait_s NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)::bigint AS reached,
           sum(calls) OVER (PARTITION BY grp)::bigint AS n
    FROM (SELECT grp, wait_s, sum(calls) AS calls FROM waits WHERE outcome = 'answered' GROUP BY grp, wait_s) answered
),
percentiles AS (
    SELECT grp, max(n) AS n,
           (array_agg(coalesce(wait_s, 0) ORDER BY wait_s NULLS FIRST) FILTER (WHERE reached >= (n * 50 + 99) / 100))[1] AS p50,
           (array_agg(coalesce(wait_s, 0) ORDER BY wait_s NULLS FIRST) FILTER (WHERE reached >= (n * 90 + 99) / 100))[1] AS p90
    FROM ranked GROUP BY grp
),
tallies AS (
    SELECT grp, sum(offered)::bigint AS offered, sum(answered)::bigint AS answered, sum(abandoned)::bigint AS abandoned,
           sum(answered_wait_s) / nullif(sum(answered_waited), 0) AS asa,
           sum(abandoned_wait_s) / nullif(sum(abandoned_waited), 0) AS wait_abandoned,
           max(max_wait_s) AS max_wait,
           sum(handle_s) / nullif(sum(answered), 0) AS aht,
           sum(talk_s) / nullif(sum(answered), 0) AS talk,
           sum(hold_s) / nullif(sum(answered), 0) AS hold,
           sum(transferred)::bigint AS transferred,
           min(t) AS t, min(s) AS s
    FROM o GROUP BY grp
)
SELECT g.grp, g.offered, g.answered, g.abandoned, coalesce(m.short_abandoned, 0), coalesce(m.answered_in_t, 0),
       coalesce(m.abandoned_in_t, 0), g.asa, g.wait_abandoned, g.max_wait, g.aht, g.talk, g.hold, g.transferred, g.t, g.s,
       coalesce(p.n, 0), p.p50, p.p90
FROM tallies g LEFT JOIN measured m ON m.grp = g.grp LEFT JOIN percentiles p ON p.grp = g.grp
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
