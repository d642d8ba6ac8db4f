-- by_agent: per agent, inbound calls answered with their talk, hold and handle times, and outbound
-- attempts and connections, over calls attributed to [:from, :to).
-- Parameters: :from, :to, :tz, :queues as in summary.sql.
-- Time zones: only the period bounds.
SELECT agent,
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
FROM report_calls
WHERE zone = :tz AND agent IS NOT NULL
  AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
  AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
GROUP BY agent
ORDER BY inbound_answered + outbound_attempts DESC, agent;
