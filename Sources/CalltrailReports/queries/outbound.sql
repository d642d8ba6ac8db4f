-- outbound: attempts, connected, connect rate and talk time, in total and per campaign, agent and
-- outbound number (one row per dimension and key).
-- Parameters: :from, :to, :tz, :queues as in summary.sql.
-- Time zones: only the period bounds (outbound calls count at their start).
WITH o AS (
    SELECT queue, agent, did, outcome, talk_s FROM report_calls
    WHERE zone = :tz AND direction = 'outbound'
      AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
      AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
),
dimensions(dimension, rank) AS (VALUES ('total', 0), ('campaign', 1), ('agent', 2), ('number', 3))
SELECT d.dimension,
       CASE d.dimension WHEN 'total' THEN 'all' WHEN 'campaign' THEN coalesce(o.queue, '(none)')
                        WHEN 'agent' THEN coalesce(o.agent, '(none)') ELSE coalesce(o.did, '(unknown)') END AS key,
       count(*) AS attempts,
       sum(o.outcome = 'outbound_answered') AS connected,
       printf('%.4f', 1.0 * sum(o.outcome = 'outbound_answered') / count(*)) AS connect_rate,
       CASE WHEN sum(o.outcome = 'outbound_answered') > 0
            THEN printf('%.1f', avg(CASE WHEN o.outcome = 'outbound_answered' THEN o.talk_s END)) END AS avg_talk_s
FROM o CROSS JOIN dimensions d
GROUP BY d.dimension, key
ORDER BY min(d.rank), attempts DESC, key;
