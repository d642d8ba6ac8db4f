-- by_queue: inbound figures per queue (campaign), with the T and S each queue was measured against.
-- A transferred call is offered once, to the queue it first reached (the call's own queue).
-- Parameters: :from, :to, :tz, :threshold, :short_abandon, :queues as in summary.sql.
-- Time zones: only the period bounds, which carry their offset.
WITH per_queue AS (
    SELECT coalesce(queue, '(none)') AS queue,
           coalesce(queue_threshold_s, :threshold) AS t, coalesce(queue_short_abandon_s, :short_abandon) AS s,
           count(*) AS offered, sum(outcome = 'answered') AS answered, sum(outcome = 'abandoned') AS abandoned,
           sum(outcome = 'abandoned' AND wait_s < coalesce(queue_short_abandon_s, :short_abandon)) AS short_abandoned,
           sum(outcome = 'answered' AND wait_s <= coalesce(queue_threshold_s, :threshold)) AS answered_in_t,
           sum(transfers > 0) AS transferred,
           avg(CASE WHEN outcome = 'answered' THEN wait_s END) AS asa,
           avg(CASE WHEN outcome = 'answered' THEN talk_s + hold_s + wrap_s END) AS aht
    FROM report_calls
    WHERE zone = :tz AND direction = 'inbound' AND queued_at IS NOT NULL
      AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
      AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
    GROUP BY 1
)
SELECT queue, offered, answered, abandoned, short_abandoned, answered_in_t, transferred,
       CASE WHEN offered - short_abandoned > 0 THEN printf('%.4f', 1.0 * answered_in_t / (offered - short_abandoned)) END AS service_level,
       CASE WHEN offered - short_abandoned > 0
            THEN printf('%.4f', 1.0 * (abandoned - short_abandoned) / (offered - short_abandoned)) END AS abandon_rate,
       CASE WHEN asa IS NOT NULL THEN printf('%.1f', asa) END AS asa_s,
       CASE WHEN aht IS NOT NULL THEN printf('%.1f', aht) END AS aht_s,
       t AS threshold_s, s AS short_abandon_s
FROM per_queue ORDER BY offered DESC, queue;
