-- data_quality: what a reader should know before trusting the figures: calls whose outcome mapped to
-- nothing, calls missing times, inbound calls without a wait, and vendor records that failed to decode
-- (kept raw in raw_records, with their error).
-- Parameters: :from, :to, :tz as in summary.sql.
-- Time zones: only the period bounds; undecodable records count by the window they were read in.
WITH c AS (
    SELECT count(*) AS calls,
           coalesce(sum(outcome = 'unknown'), 0) AS unknown_outcome,
           coalesce(sum(ended_at IS NULL), 0) AS missing_end,
           coalesce(sum(outcome = 'answered' AND answered_at IS NULL), 0) AS answered_without_answer,
           coalesce(sum(direction = 'inbound' AND queued_at IS NULL), 0) AS inbound_without_queue,
           coalesce(sum(queued_at IS NOT NULL AND wait_s IS NULL), 0) AS offered_without_wait
    FROM report_calls
    WHERE zone = :tz AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
)
SELECT 'calls in period' AS check_name, (SELECT calls FROM c) AS count,
       'all directions, counted where offered (or started, when never queued)' AS meaning
UNION ALL SELECT 'unknown outcome', (SELECT unknown_outcome FROM c),
       'the vendor value mapped to no outcome of docs/METRICS.md; not in service level or abandonment'
UNION ALL SELECT 'missing end time', (SELECT missing_end FROM c),
       'no duration from the vendor'
UNION ALL SELECT 'answered without answer time', (SELECT answered_without_answer FROM c),
       'answered calls whose answer instant could not be derived'
UNION ALL SELECT 'inbound without queue time', (SELECT inbound_without_queue FROM c),
       'not offered: shown in volumes, not in service level or abandonment'
UNION ALL SELECT 'offered without wait', (SELECT offered_without_wait FROM c),
       'offered calls whose wait is unknown: never in threshold'
UNION ALL SELECT 'undecodable vendor records',
       (SELECT count(*) FROM raw_records WHERE decode_error IS NOT NULL
          AND window_start >= unixepoch(:from) - 86400 AND window_start < unixepoch(:to)),
       'kept raw with their error (raw_records.decode_error); re-derived when the mapping improves';
