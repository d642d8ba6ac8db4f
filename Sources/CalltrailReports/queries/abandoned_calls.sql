-- abandoned_calls: the calls behind the abandon rate: when, which queue, which number, how long the
-- caller waited, whether it was a short abandon, whether the customer was reached later the same local
-- day (an answered inbound or a connected outbound call with the same number, within 24 hours), and
-- whether the number had already been offered in the 24 hours before (a repeat caller), and the
-- call that recovered it when the vendor links one (CCAI's `recovered` callback, calls.parent_call_id):
-- the caller was reached, and the pair is one contact (the callback is not offered again).
-- Parameters: :from, :to, :tz, :short_abandon, :queues as in summary.sql.
-- Time zones: in SQL, through report_calls.local_s and offset_label.
-- Callbacks and repeats are found among the calls of the abandoning numbers a day either side of the
-- period, each number's calls in order of time (window frames of 24 hours), not by a lookup per
-- abandon: the earliest connected call after the abandon tells whether one came the same day. A call
-- without a number is listed, and matches no other.
WITH abandoned_numbers AS (
    SELECT DISTINCT customer_number FROM report_calls
    WHERE zone = :tz AND direction = 'inbound' AND outcome = 'abandoned' AND queued_at IS NOT NULL
      AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to) AND customer_number IS NOT NULL
),
around AS (
    SELECT *,
           min(attributed_at) FILTER (WHERE outcome IN ('answered', 'outbound_answered')) OVER later AS next_connected_at,
           count(*) FILTER (WHERE direction = 'inbound' AND queued_at IS NOT NULL) OVER earlier AS offered_before
    FROM report_calls
    WHERE zone = :tz AND attributed_at >= unixepoch(:from) - 86400 AND attributed_at < unixepoch(:to) + 86400
      AND (customer_number IN abandoned_numbers OR customer_number IS NULL)
    WINDOW later AS (PARTITION BY customer_number ORDER BY attributed_at RANGE BETWEEN CURRENT ROW AND 86400 FOLLOWING EXCLUDE GROUP),
           earlier AS (PARTITION BY customer_number ORDER BY attributed_at RANGE BETWEEN 86400 PRECEDING AND CURRENT ROW EXCLUDE GROUP)
)
SELECT strftime('%Y-%m-%dT%H:%M:%S', a.local_s, 'unixepoch') || a.offset_label AS offered_at,
       a.queue, a.customer_number, printf('%.1f', a.wait_s) AS wait_s,
       CASE WHEN a.wait_s < coalesce(a.queue_short_abandon_s, :short_abandon) THEN 'yes' ELSE 'no' END AS short_abandon,
       CASE WHEN a.customer_number IS NOT NULL AND a.next_connected_at < a.attributed_at + 86400
             AND date(CAST(a.next_connected_at AS INTEGER) + a.offset_s, 'unixepoch') = date(a.local_s, 'unixepoch')
            THEN 'yes' ELSE 'no' END AS reached_later_same_day,
       CASE WHEN a.customer_number IS NOT NULL AND a.offered_before > 0 THEN 'yes' ELSE 'no' END AS repeat_caller,
       a.source, a.call_id,
       (SELECT min(r.call_id) FROM calls r WHERE r.parent_call_id = a.call_id AND r.source = a.source) AS recovered_by
FROM around a
WHERE a.direction = 'inbound' AND a.outcome = 'abandoned'
  AND a.queued_at IS NOT NULL AND a.attributed_at >= unixepoch(:from) AND a.attributed_at < unixepoch(:to)
  AND (:queues IS NULL OR a.queue IN (SELECT value FROM json_each(:queues)))
ORDER BY a.queued_at, a.source, a.call_id;
