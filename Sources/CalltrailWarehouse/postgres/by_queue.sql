-- calltrail_by_queue: queries/by_queue.sql for PostgreSQL: inbound figures per queue (campaign), with the T
-- and S each queue was measured against (the site's queue_settings, else the report's), busiest first.
CREATE OR REPLACE FUNCTION calltrail_by_queue(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (queue text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               transferred bigint, service_level text, abandon_rate text, asa_s text, aht_s text, threshold_s text,
               short_abandon_s text)
LANGUAGE sql STABLE AS $$
WITH per_queue AS (
    SELECT coalesce(queue, '(none)') AS queue, min(t) AS t, min(s) AS s, count(*) AS offered,
           count(*) FILTER (WHERE outcome = 'answered') AS answered,
           count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
           count(*) FILTER (WHERE outcome = 'abandoned' AND wait_s < s) AS short_abandoned,
           count(*) FILTER (WHERE outcome = 'answered' AND wait_s <= t) AS answered_in_t,
           count(*) FILTER (WHERE transfers > 0) AS transferred,
           avg(wait_s) FILTER (WHERE outcome = 'answered') AS asa,
           avg(handle_s) FILTER (WHERE outcome = 'answered') AS aht
    FROM calltrail_offered(p_from, p_to, 'UTC', p_threshold, p_short_abandon, p_site, p_queues)
    GROUP BY 1
)
SELECT queue, offered, answered, abandoned, short_abandoned, answered_in_t, transferred,
       CASE WHEN offered - short_abandoned > 0 THEN calltrail_format(1.0 * answered_in_t / (offered - short_abandoned), 4) END,
       CASE WHEN offered - short_abandoned > 0 THEN calltrail_format(1.0 * (abandoned - short_abandoned) / (offered - short_abandoned), 4) END,
       calltrail_format(asa, 1), calltrail_format(aht, 1), calltrail_format(t, 1), calltrail_format(s, 1)
FROM per_queue ORDER BY offered DESC, queue COLLATE "C"
$$;
