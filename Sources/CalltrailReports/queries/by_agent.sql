-- by_agent: per agent, the figures of summary.sql that apply to the inbound calls an agent answered
-- (answered, answered within T, sl_v1_answered, ASA, longest wait, AHT, talk, hold, p50/p90 wait by
-- nearest rank) and the talk time in all, then outbound attempts and connections, over calls attributed
-- to [:from, :to).
-- Agents are per source (one person may hold ids on two platforms); agent_name is the vendor's name
-- for the id where the source lists its agents (source_agents).
-- Parameters: :from, :to, :tz, :threshold, :queues as in summary.sql (T per queue from queue_settings).
-- Time zones: only the period bounds.
WITH agent_calls AS (
    SELECT c.source, agent, direction, outcome, wait_s, talk_s, hold_s, talk_s + hold_s + wrap_s AS handle_s,
           direction = 'inbound' AND outcome = 'answered' AS inbound_answered,
           coalesce(queue_threshold_s, :threshold) AS t
    FROM report_calls c
    WHERE zone = :tz AND agent IS NOT NULL
      AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
      AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
),
per_agent AS (
    SELECT source, agent,
           sum(inbound_answered) AS answered,
           sum(inbound_answered AND wait_s <= t) AS answered_in_t,
           avg(CASE WHEN inbound_answered THEN wait_s END) AS asa,
           max(CASE WHEN inbound_answered THEN wait_s END) AS max_wait,
           avg(CASE WHEN inbound_answered THEN handle_s END) AS aht,
           avg(CASE WHEN inbound_answered THEN talk_s END) AS talk,
           avg(CASE WHEN inbound_answered THEN hold_s END) AS hold,
           coalesce(sum(CASE WHEN inbound_answered THEN talk_s END), 0) AS talk_total,
           sum(direction = 'outbound') AS outbound_attempts,
           sum(outcome = 'outbound_answered') AS outbound_connected
    FROM agent_calls GROUP BY source, agent
),
-- Nearest rank per agent: the smallest answered wait whose running count reaches ceil(p · n).
wait_counts AS (
    SELECT source, agent, wait_s, count(*) AS n FROM agent_calls WHERE inbound_answered GROUP BY source, agent, wait_s
),
running AS (
    SELECT source, agent, wait_s, sum(n) OVER (PARTITION BY source, agent ORDER BY wait_s) AS reached,
           sum(n) OVER (PARTITION BY source, agent) AS total
    FROM wait_counts
),
p50 AS (
    SELECT source, agent, wait_s FROM (SELECT source, agent, wait_s, row_number() OVER (PARTITION BY source, agent ORDER BY wait_s) AS k
                                       FROM running WHERE reached >= (total * 50 + 99) / 100) WHERE k = 1
),
p90 AS (
    SELECT source, agent, wait_s FROM (SELECT source, agent, wait_s, row_number() OVER (PARTITION BY source, agent ORDER BY wait_s) AS k
                                       FROM running WHERE reached >= (total * 90 + 99) / 100) WHERE k = 1
)
SELECT a.source, a.agent, (SELECT name FROM source_agents n WHERE n.source = a.source AND n.agent_id = a.agent) AS agent_name,
       a.answered AS inbound_answered, a.answered_in_t,
       CASE WHEN a.answered > 0 THEN printf('%.4f', 1.0 * a.answered_in_t / a.answered) END AS sl_v1_answered,
       CASE WHEN a.asa IS NOT NULL THEN printf('%.1f', a.asa) END AS asa_s,
       CASE WHEN a.max_wait IS NOT NULL THEN printf('%.1f', a.max_wait) END AS max_wait_s,
       CASE WHEN a.aht IS NOT NULL THEN printf('%.1f', a.aht) END AS aht_s,
       CASE WHEN a.talk IS NOT NULL THEN printf('%.1f', a.talk) END AS avg_talk_s,
       CASE WHEN a.hold IS NOT NULL THEN printf('%.1f', a.hold) END AS avg_hold_s,
       CASE WHEN p50.source IS NOT NULL THEN printf('%.1f', p50.wait_s) END AS p50_wait_s,
       CASE WHEN p90.source IS NOT NULL THEN printf('%.1f', p90.wait_s) END AS p90_wait_s,
       printf('%.1f', a.talk_total) AS inbound_talk_s,
       a.outbound_attempts, a.outbound_connected
FROM per_agent a
LEFT JOIN p50 ON p50.source = a.source AND p50.agent = a.agent
LEFT JOIN p90 ON p90.source = a.source AND p90.agent = a.agent
ORDER BY a.answered + a.outbound_attempts DESC, a.source, a.agent;
