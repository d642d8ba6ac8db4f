-- data_quality: what a reader should know before trusting the figures: calls whose outcome mapped to
-- nothing, calls missing times, inbound calls without a wait, and vendor records that failed to decode
-- (kept raw in raw_records, with their error).
-- Parameters: :from, :to, :tz as in summary.sql.
-- Time zones: only the period bounds; undecodable records count by the window they were read in.
WITH c AS (
    SELECT * FROM report_calls
    WHERE zone = :tz AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
)
SELECT 'calls in period' AS check_name, (SELECT count(*) FROM c) AS count,
       'all directions, counted where offered (or started, when never queued)' AS meaning
UNION ALL SELECT 'unknown outcome', (SELECT count(*) FROM c WHERE outcome = 'unknown'),
       'the vendor value mapped to no outcome of METRICS.md; not in service level or abandonment'
UNION ALL SELECT 'missing end time', (SELECT count(*) FROM c WHERE ended_at IS NULL),
       'no duration from the vendor'
UNION ALL SELECT 'answered without answer time', (SELECT count(*) FROM c WHERE outcome = 'answered' AND answered_at IS NULL),
       'answered calls whose answer instant could not be derived'
UNION ALL SELECT 'inbound without queue time', (SELECT count(*) FROM c WHERE direction = 'inbound' AND queued_at IS NULL),
       'not offered: shown in volumes, not in service level or abandonment'
UNION ALL SELECT 'offered without wait', (SELECT count(*) FROM c WHERE queued_at IS NOT NULL AND wait_s IS NULL),
       'offered calls whose wait is unknown: never in threshold'
UNION ALL SELECT 'undecodable vendor records',
       (SELECT count(*) FROM raw_records WHERE decode_error IS NOT NULL
          AND window_start >= unixepoch(:from) - 86400 AND window_start < unixepoch(:to)),
       'kept raw with their error (raw_records.decode_error); re-derived when the mapping improves';
