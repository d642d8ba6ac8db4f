-- by_agent: per agent, the figures of summary.sql that apply to the inbound calls an agent answered
-- (answered, answered within T, sl_v1_answered, ASA, longest wait, AHT, talk, hold, p50/p90 wait by
-- nearest rank) and the talk time in all, then outbound attempts and connections, over calls attributed
-- to [:from, :to), summed from the agent tallies (agent_tallies: per 15-minute slot, source, agent and
-- queue; agent_tally_waits: the answered calls' distinct waits with their counts).
-- Agents are per source (one person may hold ids on two platforms); agent_name is the vendor's name
-- for the id where the source lists its agents (source_agents).
-- Parameters: :from, :to, :threshold, :queues as in summary.sql (T per queue from queue_settings); :from
-- and :to fall on quarter hours.
WITH slots AS (
    SELECT t.*, coalesce(q.threshold_s, :threshold) AS t_s
    FROM agent_tallies t LEFT JOIN queue_settings q ON q.queue = t.queue
    WHERE t.slot_utc >= unixepoch(:from) AND t.slot_utc < unixepoch(:to)
      AND (:queues IS NULL OR t.queue IN (SELECT value FROM json_each(:queues)))
),
per_agent AS (
    SELECT source, agent, sum(answered) AS answered, sum(answered_waited) AS answered_waited, sum(answered_wait_s) AS answered_wait_s,
           max(max_wait_s) AS max_wait, sum(handle_s) AS handle_s, sum(talk_s) AS talk_total, sum(hold_s) AS hold_total,
           sum(outbound_attempts) AS outbound_attempts, sum(outbound_connected) AS outbound_connected
    FROM slots GROUP BY source, agent
),
waits AS (
    SELECT s.source, s.agent, w.wait_s, w.calls, s.t_s FROM slots s JOIN agent_tally_waits w ON w.tally = s.id
),
in_t AS (
    SELECT source, agent, sum(CASE WHEN wait_s <= t_s THEN calls ELSE 0 END) AS answered_in_t FROM waits GROUP BY source, agent
),
-- Nearest rank per agent: the first answered wait (a missing one first) whose running count reaches ceil(p · n);
-- one row per agent, joined once.
running AS (
    SELECT source, agent, wait_s, sum(n) OVER (PARTITION BY source, agent ORDER BY wait_s) AS reached,
           sum(n) OVER (PARTITION BY source, agent) AS total
    FROM (SELECT source, agent, wait_s, sum(calls) AS n FROM waits GROUP BY source, agent, wait_s)
),
percentiles AS MATERIALIZED (
    SELECT source, agent,
           CASE WHEN max(wait_s IS NULL AND reached >= (total * 50 + 99) / 100) THEN NULL
                ELSE min(CASE WHEN reached >= (total * 50 + 99) / 100 THEN wait_s END) END AS p50,
           CASE WHEN max(wait_s IS NULL AND reached >= (total * 90 + 99) / 100) THEN NULL
                ELSE min(CASE WHEN reached >= (total * 90 + 99) / 100 THEN wait_s END) END AS p90
    FROM running GROUP BY source, agent
)
SELECT a.source, a.agent, (SELECT name FROM source_agents n WHERE n.source = a.source AND n.agent_id = a.agent) AS agent_name,
       a.answered AS inbound_answered, coalesce(i.answered_in_t, 0) AS answered_in_t,
       CASE WHEN a.answered > 0 THEN printf('%.4f', 1.0 * coalesce(i.answered_in_t, 0) / a.answered) END AS sl_v1_answered,
       CASE WHEN a.answered_waited > 0 THEN printf('%.1f', a.answered_wait_s / a.answered_waited) END AS asa_s,
       CASE WHEN a.max_wait IS NOT NULL THEN printf('%.1f', a.max_wait) END AS max_wait_s,
       CASE WHEN a.answered > 0 THEN printf('%.1f', a.handle_s / a.answered) END AS aht_s,
       CASE WHEN a.answered > 0 THEN printf('%.1f', a.talk_total / a.answered) END AS avg_talk_s,
       CASE WHEN a.answered > 0 THEN printf('%.1f', a.hold_total / a.answered) END AS avg_hold_s,
       CASE WHEN p.source IS NOT NULL THEN printf('%.1f', p.p50) END AS p50_wait_s,
       CASE WHEN p.source IS NOT NULL THEN printf('%.1f', p.p90) END AS p90_wait_s,
       printf('%.1f', a.talk_total) AS inbound_talk_s,
       a.outbound_attempts, a.outbound_connected
FROM per_agent a
LEFT JOIN in_t i ON i.source = a.source AND i.agent = a.agent
LEFT JOIN percentiles p ON p.source = a.source AND p.agent = a.agent
ORDER BY a.answered + a.outbound_attempts DESC, a.source, a.agent;
