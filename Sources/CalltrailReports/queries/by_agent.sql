-- by_agent: per agent, inbound calls answered with their talk, hold and handle times, and outbound
-- attempts and connections, over calls attributed to [:from, :to).
-- Agents are per source (one person may hold ids on two platforms); agent_name is the vendor's name
-- for the id where the source lists its agents (source_agents).
-- Parameters: :from, :to, :tz, :queues as in summary.sql.
-- Time zones: only the period bounds.
SELECT c.source, agent, (SELECT name FROM source_agents a WHERE a.source = c.source AND a.agent_id = c.agent) AS agent_name,
       sum(direction = 'inbound' AND outcome = 'answered') AS inbound_answered,
       printf('%.1f', coalesce(sum(CASE WHEN direction = 'inbound' AND outcome = 'answered' THEN talk_s END), 0)) AS inbound_talk_s,
       CASE WHEN sum(direction = 'inbound' AND outcome = 'answered') > 0 THEN printf('%.1f',
           avg(CASE WHEN direction = 'inbound' AND outcome = 'answered' THEN talk_s END)) END AS avg_talk_s,
       CASE WHEN sum(direction = 'inbound' AND outcome = 'answered') > 0 THEN printf('%.1f',
           avg(CASE WHEN direction = 'inbound' AND outcome = 'answered' THEN hold_s END)) END AS avg_hold_s,
       CASE WHEN sum(direction = 'inbound' AND outcome = 'answered') > 0 THEN printf('%.1f',
           avg(CASE WHEN direction = 'inbound' AND outcome = 'answered' THEN talk_s + hold_s + wrap_s END)) END AS aht_s,
       sum(direction = 'outbound') AS outbound_attempts,
       sum(outcome = 'outbound_answered') AS outbound_connected
FROM report_calls c
WHERE zone = :tz AND agent IS NOT NULL
  AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
  AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
GROUP BY c.source, agent
ORDER BY inbound_answered + outbound_attempts DESC, c.source, agent;
