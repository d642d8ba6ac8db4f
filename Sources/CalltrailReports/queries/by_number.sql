-- by_number: per center number (the DID a customer dialled, or the number an outbound call showed):
-- inbound offered, answered, abandoned and service level; outbound attempts and connections.
-- Parameters: :from, :to, :tz, :threshold, :short_abandon, :queues as in summary.sql.
-- number_name: the vendor's alias and group for the number, where a source lists them (source_numbers).
-- Time zones: only the period bounds.
WITH per_number AS (
    SELECT coalesce(did, '(unknown)') AS number,
           (SELECT coalesce(n.name, '') || CASE WHEN n.group_name IS NOT NULL THEN ' (' || n.group_name || ')' ELSE '' END
              FROM source_numbers n WHERE n.number = did LIMIT 1) AS number_name,
           sum(direction = 'inbound' AND queued_at IS NOT NULL) AS offered,
           sum(direction = 'inbound' AND outcome = 'answered') AS answered,
           sum(direction = 'inbound' AND outcome = 'abandoned') AS abandoned,
           sum(direction = 'inbound' AND outcome = 'abandoned' AND wait_s < coalesce(queue_short_abandon_s, :short_abandon)) AS short_abandoned,
           sum(direction = 'inbound' AND outcome = 'answered' AND wait_s <= coalesce(queue_threshold_s, :threshold)) AS answered_in_t,
           sum(direction = 'outbound') AS outbound_attempts,
           sum(outcome = 'outbound_answered') AS outbound_connected
    FROM report_calls
    WHERE zone = :tz AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
      AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
    GROUP BY 1
)
SELECT number, number_name, offered, answered, abandoned, short_abandoned, answered_in_t,
       CASE WHEN offered - short_abandoned > 0 THEN printf('%.4f', 1.0 * answered_in_t / (offered - short_abandoned)) END AS service_level,
       outbound_attempts, outbound_connected,
       CASE WHEN outbound_attempts > 0 THEN printf('%.4f', 1.0 * outbound_connected / outbound_attempts) END AS connect_rate
FROM per_number ORDER BY offered + outbound_attempts DESC, number;
