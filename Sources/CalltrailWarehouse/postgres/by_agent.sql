-- calltrail_by_agent: queries/by_agent.sql for PostgreSQL: per agent, inbound calls answered with their
-- talk, hold and handle times, and outbound attempts and connections. Agents are per site and source;
-- agent_name is the vendor's name for the id (the site's source_agents).
CREATE OR REPLACE FUNCTION calltrail_by_agent(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (source text, agent text, agent_name text, inbound_answered bigint, inbound_talk_s text, avg_talk_s text,
               avg_hold_s text, aht_s text, outbound_attempts bigint, outbound_connected bigint)
LANGUAGE sql STABLE AS $$
WITH per_agent AS (
    SELECT c.site, c.source, c.source_label, c.agent,
           count(*) FILTER (WHERE direction = 'inbound' AND outcome = 'answered') AS answered,
           sum(talk_s) FILTER (WHERE direction = 'inbound' AND outcome = 'answered') AS talk,
           avg(talk_s) FILTER (WHERE direction = 'inbound' AND outcome = 'answered') AS avg_talk,
           avg(hold_s) FILTER (WHERE direction = 'inbound' AND outcome = 'answered') AS avg_hold,
           avg(talk_s + hold_s + wrap_s) FILTER (WHERE direction = 'inbound' AND outcome = 'answered') AS aht,
           count(*) FILTER (WHERE direction = 'outbound') AS attempts,
           count(*) FILTER (WHERE outcome = 'outbound_answered') AS connected
    FROM calltrail_period_calls(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, p_queues) c
    WHERE c.agent IS NOT NULL
    GROUP BY c.site, c.source, c.source_label, c.agent
)
SELECT p.source_label, p.agent,
       (SELECT a.name FROM source_agents a WHERE a.site = p.site AND a.source = p.source AND a.agent_id = p.agent LIMIT 1),
       p.answered, calltrail_format(coalesce(p.talk, 0), 1),
       CASE WHEN p.answered > 0 THEN calltrail_format(p.avg_talk, 1) END,
       CASE WHEN p.answered > 0 THEN calltrail_format(p.avg_hold, 1) END,
       CASE WHEN p.answered > 0 THEN calltrail_format(p.aht, 1) END,
       p.attempts, p.connected
FROM per_agent p
ORDER BY p.answered + p.attempts DESC, p.source_label COLLATE "C", p.agent COLLATE "C"
$$;
