-- calltrail_abandoned_calls: queries/abandoned_calls.sql for PostgreSQL: the calls behind the abandon rate,
-- when (on the clock of p_tz), which queue and number, the wait, short abandon or not, whether the
-- customer was reached later the same local day (an answered or connected call with the same number
-- within 24 hours), whether the number was offered in the 24 hours before (a repeat caller), and the
-- call that recovered it when the vendor links one (calls.parent_call_id). As in SQLite, each number's
-- calls a day either side of the period are read in order of time (window frames of 24 hours); a
-- wait the vendor did not give shows as 0.0, as SQLite's printf writes NULL.
CREATE OR REPLACE FUNCTION calltrail_abandoned_calls(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (offered_at text, queue text, customer_number text, wait_s text, short_abandon text, reached_later_same_day text,
               repeat_caller text, source text, call_id text, recovered_by text)
LANGUAGE sql STABLE AS $$
WITH abandoned_numbers AS (
    SELECT DISTINCT c.customer_number
    FROM calltrail_period_calls(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, NULL) c
    WHERE c.direction = 'inbound' AND c.outcome = 'abandoned' AND c.queued_at IS NOT NULL AND c.customer_number IS NOT NULL
),
around AS (
    SELECT c.*,
           min(c.attributed_s) FILTER (WHERE c.outcome IN ('answered', 'outbound_answered')) OVER later AS next_connected_at,
           count(*) FILTER (WHERE c.direction = 'inbound' AND c.queued_at IS NOT NULL) OVER earlier AS offered_before
    FROM calltrail_period_calls(p_from - interval '1 day', p_to + interval '1 day', p_tz, p_threshold, p_short_abandon, p_site, NULL) c
    WHERE c.customer_number IN (SELECT customer_number FROM abandoned_numbers) OR c.customer_number IS NULL
    WINDOW later AS (PARTITION BY c.customer_number ORDER BY c.attributed_s
                     RANGE BETWEEN CURRENT ROW AND 86400 FOLLOWING EXCLUDE GROUP),
           earlier AS (PARTITION BY c.customer_number ORDER BY c.attributed_s
                       RANGE BETWEEN 86400 PRECEDING AND CURRENT ROW EXCLUDE GROUP)
)
SELECT to_char(to_timestamp(a.local_s) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || calltrail_offset_label(a.offset_s),
       a.queue, a.customer_number, calltrail_format(coalesce(a.wait_s, 0), 1),
       CASE WHEN a.wait_s < a.s THEN 'yes' ELSE 'no' END,
       CASE WHEN a.customer_number IS NOT NULL AND a.next_connected_at < a.attributed_s + 86400
             AND (floor(a.next_connected_at)::bigint + a.offset_s) / 86400 = a.local_s / 86400
            THEN 'yes' ELSE 'no' END,
       CASE WHEN a.customer_number IS NOT NULL AND a.offered_before > 0 THEN 'yes' ELSE 'no' END,
       a.source_label, a.call_id,
       (SELECT min(r.call_id COLLATE "C") FROM calls r WHERE r.parent_call_id = a.call_id AND r.source = a.source AND r.site = a.site)
FROM around a
WHERE a.direction = 'inbound' AND a.outcome = 'abandoned' AND a.queued_at IS NOT NULL
  AND a.queued_at >= p_from AND a.queued_at < p_to
  AND (p_queues IS NULL OR a.queue = ANY (p_queues))
ORDER BY a.queued_at, a.source_label COLLATE "C", a.call_id COLLATE "C"
$$;
