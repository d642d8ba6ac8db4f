-- calltrail_by_agent: queries/by_agent.sql for PostgreSQL: per agent, the summary's figures that apply to
-- the inbound calls the agent answered (answered within T, sl_v1_answered, ASA, longest wait, AHT, talk,
-- hold, p50/p90 wait by nearest rank) and the talk time in all, then outbound attempts and connections.
-- Agents are per site and source; agent_name is the vendor's name for the id (the site's source_agents).
CREATE OR REPLACE FUNCTION calltrail_by_agent(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (source text, agent text, agent_name text, inbound_answered bigint, answered_in_t bigint, sl_v1_answered text,
               asa_s text, max_wait_s text, aht_s text, avg_talk_s text, avg_hold_s text, p50_wait_s text, p90_wait_s text,
               inbound_talk_s text, outbound_attempts bigint, outbound_connected bigint)
LANGUAGE sql STABLE AS $$
WITH agent_calls AS (
    SELECT c.site, c.source, c.source_label, c.agent, c.direction, c.outcome, c.wait_s, c.talk_s, c.hold_s, c.wrap_s, c.t,
           c.direction = 'inbound' AND c.outcome = 'answered' AS inbound_answered
    FROM calltrail_period_calls(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, p_queues) c
    WHERE c.agent IS NOT NULL
),
per_agent AS (
    SELECT site, source, source_label, agent,
           count(*) FILTER (WHERE inbound_answered) AS answered,
           count(*) FILTER (WHERE inbound_answered AND wait_s <= t) AS answered_in_t,
           avg(wait_s) FILTER (WHERE inbound_answered) AS asa,
           max(wait_s) FILTER (WHERE inbound_answered) AS max_wait,
           sum(talk_s) FILTER (WHERE inbound_answered) AS talk_total,
           avg(talk_s) FILTER (WHERE inbound_answered) AS talk,
           avg(hold_s) FILTER (WHERE inbound_answered) AS hold,
           avg(talk_s + hold_s + wrap_s) FILTER (WHERE inbound_answered) AS aht,
           count(*) FILTER (WHERE direction = 'outbound') AS attempts,
           count(*) FILTER (WHERE outcome = 'outbound_answered') AS connected
    FROM agent_calls GROUP BY site, source, source_label, agent
),
-- Nearest rank per agent, an answered call without a wait ranked first as SQLite ranks NULL.
ranked AS (
    SELECT site, source, agent, wait_s, row_number() OVER (PARTITION BY site, source, agent ORDER BY wait_s NULLS FIRST) AS k,
           count(*) OVER (PARTITION BY site, source, agent) AS n
    FROM agent_calls WHERE inbound_answered
),
percentiles AS (
    SELECT site, source, agent,
           max(coalesce(wait_s, 0)) FILTER (WHERE k = (n * 50 + 99) / 100) AS p50,
           max(coalesce(wait_s, 0)) FILTER (WHERE k = (n * 90 + 99) / 100) AS p90
    FROM ranked GROUP BY site, source, agent
)
SELECT p.source_label, p.agent,
       (SELECT a.name FROM source_agents a WHERE a.site = p.site AND a.source = p.source AND a.agent_id = p.agent LIMIT 1),
       p.answered, p.answered_in_t,
       CASE WHEN p.answered > 0 THEN calltrail_format(1.0 * p.answered_in_t / p.answered, 4) END,
       calltrail_format(p.asa, 1), calltrail_format(p.max_wait, 1), calltrail_format(p.aht, 1),
       calltrail_format(p.talk, 1), calltrail_format(p.hold, 1),
       CASE WHEN p.answered > 0 THEN calltrail_format(r.p50, 1) END,
       CASE WHEN p.answered > 0 THEN calltrail_format(r.p90, 1) END,
       calltrail_format(coalesce(p.talk_total, 0), 1), p.attempts, p.connected
FROM per_agent p
LEFT JOIN percentiles r ON r.site = p.site AND r.source = p.source AND r.agent = p.agent
ORDER BY p.answered + p.attempts DESC, p.source_label COLLATE "C", p.agent COLLATE "C"
$$;
