-- calltrail_by_number: queries/by_number.sql for PostgreSQL: per center number (the DID a customer
-- dialled, or the number an outbound call showed), every inbound figure of the summary over the calls
-- offered on it, outbound attempts and connections; number_name from the sites' source_numbers.
CREATE OR REPLACE FUNCTION calltrail_by_number(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (number text, number_name text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint, answered_in_t bigint,
               abandoned_in_t bigint, service_level text, sl_v1_answered text, sl_v2_offered text,
               sl_v3_ignore_late_abandons text, sl_v4_with_abandoned text, abandon_rate text, abandon_rate_all text,
               asa_s text, avg_wait_abandoned_s text, max_wait_s text, aht_s text, avg_talk_s text, avg_hold_s text,
               p50_wait_s text, p90_wait_s text,
               outbound_attempts bigint, outbound_connected bigint, connect_rate text)
LANGUAGE sql STABLE AS $$
WITH per_number AS (
    SELECT coalesce(did, '(unknown)') AS number,
           count(*) FILTER (WHERE direction = 'outbound') AS outbound_attempts,
           count(*) FILTER (WHERE outcome = 'outbound_answered') AS outbound_connected
    FROM calltrail_period_calls(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, p_queues)
    GROUP BY 1
)
SELECT p.number,
       (SELECT coalesce(n.name, '') || CASE WHEN n.group_name IS NOT NULL THEN ' (' || n.group_name || ')' ELSE '' END
          FROM source_numbers n WHERE n.number = p.number AND (p_site IS NULL OR n.site = p_site)
          ORDER BY n.site, n.source LIMIT 1),
       f.*, p.outbound_attempts, p.outbound_connected,
       CASE WHEN p.outbound_attempts > 0 THEN calltrail_format(1.0 * p.outbound_connected / p.outbound_attempts, 4) END
FROM per_number p
LEFT JOIN calltrail_group_tallies(p_from, p_to, 'UTC', p_interval, p_threshold, p_short_abandon, p_site, p_queues, 'number') g
       ON g.grp = p.number
CROSS JOIN LATERAL calltrail_figures(g.offered, g.answered, g.abandoned, g.short_abandoned, g.answered_in_t, g.abandoned_in_t, g.asa,
                                     g.wait_abandoned, g.max_wait, g.aht, g.talk, g.hold, g.ranked_waits, g.p50, g.p90) f
ORDER BY f.offered + p.outbound_attempts DESC, p.number COLLATE "C"
$$;
