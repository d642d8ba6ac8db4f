-- calltrail_by_queue_interval: queries/by_queue_interval.sql for PostgreSQL: every figure of the summary per
-- queue and interval, every interval listed for ALL (every queue together) and for each queue with offered
-- calls in the period, with by_queue_interval.csv's names, formats and order.
CREATE OR REPLACE FUNCTION calltrail_by_queue_interval(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (interval_start text, queue text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, service_level text, sl_v1_answered text, sl_v2_offered text,
               sl_v3_ignore_late_abandons text, sl_v4_with_abandoned text, abandon_rate text, abandon_rate_all text,
               asa_s text, avg_wait_abandoned_s text, max_wait_s text, aht_s text, avg_talk_s text, avg_hold_s text,
               p50_wait_s text, p90_wait_s text)
LANGUAGE sql STABLE AS $$
WITH cells AS (
    SELECT split_part(t.grp, ' ', 1)::bigint AS start_s, substr(t.grp, strpos(t.grp, ' ') + 1) AS queue, t.*
    FROM calltrail_group_tallies(p_from, p_to, p_tz, p_interval, p_threshold, p_short_abandon, p_site, p_queues, 'queue_interval') t
    UNION ALL
    SELECT t.grp::bigint, 'ALL', t.*
    FROM calltrail_group_tallies(p_from, p_to, p_tz, p_interval, p_threshold, p_short_abandon, p_site, p_queues, 'interval') t
),
queues AS (
    SELECT 'ALL' AS queue UNION SELECT queue FROM cells
)
SELECT i.interval_start, q.queue, f.*
FROM calltrail_interval_grid(p_from, p_to, p_tz, p_interval) i
CROSS JOIN queues q
LEFT JOIN cells g ON g.start_s = i.start_s AND g.queue = q.queue
CROSS JOIN LATERAL calltrail_figures(g.offered, g.answered, g.abandoned, g.short_abandoned, g.answered_in_t, g.abandoned_in_t, g.asa,
                                     g.wait_abandoned, g.max_wait, g.aht, g.talk, g.hold, g.ranked_waits, g.p50, g.p90) f
ORDER BY i.start_s, q.queue <> 'ALL', q.queue COLLATE "C"
$$;
