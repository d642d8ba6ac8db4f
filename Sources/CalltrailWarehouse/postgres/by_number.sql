-- calltrail_by_number: queries/by_number.sql for PostgreSQL: per center number (the DID a customer
-- dialled, or the number an outbound call showed), inbound offered, answered, abandoned and service
-- level, outbound attempts and connections; number_name from the sites' source_numbers.
CREATE OR REPLACE FUNCTION calltrail_by_number(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (number text, number_name text, offered bigint, answered bigint, abandoned bigint, short_abandoned bigint,
               answered_in_t bigint, service_level text, outbound_attempts bigint, outbound_connected bigint, connect_rate text)
LANGUAGE sql STABLE AS $$
WITH per_number AS (
    SELECT coalesce(did, '(unknown)') AS number,
           count(*) FILTER (WHERE direction = 'inbound' AND queued_at IS NOT NULL) AS offered,
           count(*) FILTER (WHERE direction = 'inbound' AND outcome = 'answered') AS answered,
           count(*) FILTER (WHERE direction = 'inbound' AND outcome = 'abandoned') AS abandoned,
           count(*) FILTER (WHERE direction = 'inbound' AND outcome = 'abandoned' AND wait_s < s) AS short_abandoned,
           count(*) FILTER (WHERE direction = 'inbound' AND outcome = 'answered' AND wait_s <= t) AS answered_in_t,
           count(*) FILTER (WHERE direction = 'outbound') AS outbound_attempts,
           count(*) FILTER (WHERE outcome = 'outbound_answered') AS outbound_connected
    FROM calltrail_period_calls(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, p_queues)
    GROUP BY 1
)
SELECT p.number,
       (SELECT coalesce(n.name, '') || CASE WHEN n.group_name IS NOT NULL THEN ' (' || n.group_name || ')' ELSE '' END
          FROM source_numbers n WHERE n.number = p.number AND (p_site IS NULL OR n.site = p_site)
          ORDER BY n.site, n.source LIMIT 1),
       p.offered, p.answered, p.abandoned, p.short_abandoned, p.answered_in_t,
       CASE WHEN p.offered - p.short_abandoned > 0 THEN calltrail_format(1.0 * p.answered_in_t / (p.offered - p.short_abandoned), 4) END,
       p.outbound_attempts, p.outbound_connected,
       CASE WHEN p.outbound_attempts > 0 THEN calltrail_format(1.0 * p.outbound_connected / p.outbound_attempts, 4) END
FROM per_number p
ORDER BY p.offered + p.outbound_attempts DESC, p.number COLLATE "C"
$$;
