-- calls: every call attributed to [:from, :to) (offered, or started when never queued), one row each,
-- in order of time: the listing the report page's counts drill down to (calls.csv). `did` is the center
-- number the customer dialled (or an outbound call showed), by_number's key. `in_threshold` says
-- whether an offered inbound call was answered within its queue's T; `recording_file` is the archived
-- file's path when the recording is in the archive.
-- Parameters: :from, :to, :tz, :threshold, :queues as in summary.sql.
-- Time zones: in SQL, through report_calls.local_s and offset_label.
SELECT strftime('%Y-%m-%dT%H:%M:%S', c.local_s, 'unixepoch') || c.offset_label AS at,
       c.direction, c.outcome, c.queue, c.agent, c.customer_number, c.did,
       CASE WHEN c.wait_s IS NOT NULL THEN printf('%.1f', c.wait_s) END AS wait_s,
       printf('%.1f', c.talk_s) AS talk_s,
       CASE WHEN c.direction = 'inbound' AND c.queued_at IS NOT NULL
            THEN CASE WHEN c.outcome = 'answered' AND c.wait_s <= coalesce(c.queue_threshold_s, :threshold) THEN 'yes' ELSE 'no' END
       END AS in_threshold,
       c.source, c.call_id,
       (SELECT r.path FROM recordings r WHERE r.source = c.source AND r.call_id = c.call_id AND r.state IN ('found', 'converted')) AS recording_file
FROM report_calls c
WHERE c.zone = :tz AND c.attributed_at >= unixepoch(:from) AND c.attributed_at < unixepoch(:to)
  AND (:queues IS NULL OR c.queue IN (SELECT value FROM json_each(:queues)))
ORDER BY c.attributed_at, c.source, c.call_id;
