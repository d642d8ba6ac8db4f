-- abandoned_calls: the calls behind the abandon rate: when, which queue, which number, how long the
-- caller waited, whether it was a short abandon, whether the customer was reached later the same local
-- day (an answered inbound or a connected outbound call with the same number), and whether the number
-- had already been offered in the 24 hours before (a repeat caller).
-- Parameters: :from, :to, :tz, :short_abandon, :queues as in summary.sql.
-- Time zones: in SQL, through report_calls.local_s and offset_label.
SELECT strftime('%Y-%m-%dT%H:%M:%S', a.local_s, 'unixepoch') || a.offset_label AS offered_at,
       a.queue, a.customer_number, printf('%.1f', a.wait_s) AS wait_s,
       CASE WHEN a.wait_s < coalesce(a.queue_short_abandon_s, :short_abandon) THEN 'yes' ELSE 'no' END AS short_abandon,
       CASE WHEN EXISTS (
           SELECT 1 FROM calls later
           WHERE later.customer_number = a.customer_number
             AND later.outcome IN ('answered', 'outbound_answered')
             AND coalesce(later.queued_at, later.started_at) > a.attributed_at
             AND coalesce(later.queued_at, later.started_at) < a.attributed_at + 86400
             AND date(CAST(coalesce(later.queued_at, later.started_at) AS INTEGER) + a.offset_s, 'unixepoch') = date(a.local_s, 'unixepoch')
       ) THEN 'yes' ELSE 'no' END AS reached_later_same_day,
       CASE WHEN EXISTS (
           SELECT 1 FROM calls earlier
           WHERE earlier.customer_number = a.customer_number AND earlier.direction = 'inbound'
             AND earlier.queued_at IS NOT NULL
             AND coalesce(earlier.queued_at, earlier.started_at) >= a.attributed_at - 86400
             AND coalesce(earlier.queued_at, earlier.started_at) < a.attributed_at
       ) THEN 'yes' ELSE 'no' END AS repeat_caller,
       a.source, a.call_id
FROM report_calls a
WHERE a.zone = :tz AND a.direction = 'inbound' AND a.outcome = 'abandoned'
  AND a.queued_at IS NOT NULL AND a.attributed_at >= unixepoch(:from) AND a.attributed_at < unixepoch(:to)
  AND (:queues IS NULL OR a.queue IN (SELECT value FROM json_each(:queues)))
ORDER BY a.queued_at;
