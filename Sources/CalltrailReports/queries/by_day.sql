-- by_day: inbound figures per calendar day of :tz (a call counts on the day it was offered, also when it
-- is answered after midnight). Rolled up from the calls, never by averaging interval percentages.
-- Parameters: :from, :to, :tz, :threshold, :short_abandon, :queues as in summary.sql.
-- Time zones: in SQL, through report_calls.local_s (the offered instant on the local clock).
WITH per_day AS (
    SELECT date(local_s, 'unixepoch') AS day, count(*) AS offered,
           sum(outcome = 'answered') AS answered, sum(outcome = 'abandoned') AS abandoned,
           sum(outcome = 'abandoned' AND wait_s < coalesce(queue_short_abandon_s, :short_abandon)) AS short_abandoned,
           sum(outcome = 'answered' AND wait_s <= coalesce(queue_threshold_s, :threshold)) AS answered_in_t,
           avg(CASE WHEN outcome = 'answered' THEN wait_s END) AS asa,
           avg(CASE WHEN outcome = 'answered' THEN talk_s + hold_s + wrap_s END) AS aht
    FROM report_calls
    WHERE zone = :tz AND direction = 'inbound' AND queued_at IS NOT NULL
      AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
      AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
    GROUP BY day
)
SELECT day, offered, answered, abandoned, short_abandoned, answered_in_t,
       CASE WHEN offered - short_abandoned > 0 THEN printf('%.4f', 1.0 * answered_in_t / (offered - short_abandoned)) END AS service_level,
       CASE WHEN offered - short_abandoned > 0
            THEN printf('%.4f', 1.0 * (abandoned - short_abandoned) / (offered - short_abandoned)) END AS abandon_rate,
       CASE WHEN asa IS NOT NULL THEN printf('%.1f', asa) END AS asa_s,
       CASE WHEN aht IS NOT NULL THEN printf('%.1f', aht) END AS aht_s
FROM per_day ORDER BY day;
