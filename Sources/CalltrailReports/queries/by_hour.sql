-- by_hour: offered, answered and abandoned inbound calls per hour of the day (0–23) of :tz, summed over
-- the period; every hour listed.
-- Parameters: :from, :to, :tz, :queues as in summary.sql.
-- Time zones: in SQL, through report_calls.local_s.
WITH RECURSIVE hours(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hours WHERE h < 23),
per_hour AS (
    SELECT CAST(strftime('%H', local_s, 'unixepoch') AS INTEGER) AS h, count(*) AS offered,
           sum(outcome = 'answered') AS answered, sum(outcome = 'abandoned') AS abandoned
    FROM report_calls
    WHERE zone = :tz AND direction = 'inbound' AND queued_at IS NOT NULL
      AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
      AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
    GROUP BY h
)
SELECT hours.h AS hour, coalesce(offered, 0) AS offered, coalesce(answered, 0) AS answered,
       coalesce(abandoned, 0) AS abandoned
FROM hours LEFT JOIN per_hour USING (h) ORDER BY hours.h;
