-- data_quality: what a reader should know before trusting the figures: calls whose outcome mapped to
-- nothing, calls missing times, inbound calls without a wait, vendor records that failed to decode
-- (kept raw in raw_records, with their error), calls of erased customers a later sync stored again,
-- and each source's mapping checks: the consistency
-- checks its vendor's mapping runs on every record where the documentation leaves a reading open
-- (docs/VENDORS.md, [guess]), with how many of the source's calls in the period broke each.
-- Parameters: :from, :to, :tz as in summary.sql.
-- Columns: source is NULL for the checks over all sources; share is count over the calls the row
-- is about (all calls in the period, or the source's), as printf('%.4f').
-- Time zones: only the period bounds; undecodable records count by the window they were read in.
WITH period_calls AS (
    SELECT source, call_id, customer_number, outcome, ended_at, answered_at, direction, queued_at, wait_s, failed_checks
    FROM report_calls
    WHERE zone = :tz AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
),
c AS (
    SELECT count(*) AS calls,
           coalesce(sum(outcome = 'unknown'), 0) AS unknown_outcome,
           coalesce(sum(ended_at IS NULL), 0) AS missing_end,
           coalesce(sum(outcome = 'answered' AND answered_at IS NULL), 0) AS answered_without_answer,
           coalesce(sum(direction = 'inbound' AND queued_at IS NULL), 0) AS inbound_without_queue,
           coalesce(sum(queued_at IS NOT NULL AND wait_s IS NULL), 0) AS offered_without_wait,
           coalesce(sum(customer_number IS NOT NULL AND EXISTS (
               SELECT 1 FROM recordings r WHERE r.source = period_calls.source AND r.call_id = period_calls.call_id AND r.state = 'erased'
           )), 0) AS synced_after_erasure
    FROM period_calls
),
by_source AS (
    SELECT source, count(*) AS calls FROM period_calls GROUP BY source
),
broken AS (
    SELECT p.source, j.value AS name, count(*) AS failed
    FROM period_calls p, json_each(p.failed_checks) j
    WHERE p.failed_checks IS NOT NULL
    GROUP BY p.source, j.value
),
checks AS (
    SELECT m.name AS check_name, m.source, coalesce(b.failed, 0) AS count,
           printf('%.4f', 1.0 * coalesce(b.failed, 0) / s.calls) AS share, m.meaning
    FROM mapping_checks m
    JOIN by_source s ON s.source = m.source
    LEFT JOIN broken b ON b.source = m.source AND b.name = m.name
    ORDER BY m.source, m.name
),
totals AS (
    SELECT 1 AS rank, 'calls in period' AS check_name, calls AS count, NULL AS share,
           'all directions, counted where offered (or started, when never queued)' AS meaning FROM c
    UNION ALL SELECT 2, 'unknown outcome', unknown_outcome, unknown_outcome,
           'the vendor value mapped to no outcome of docs/METRICS.md; not in service level or abandonment' FROM c
    UNION ALL SELECT 3, 'missing end time', missing_end, missing_end, 'no duration from the vendor' FROM c
    UNION ALL SELECT 4, 'answered without answer time', answered_without_answer, answered_without_answer,
           'answered calls whose answer instant could not be derived' FROM c
    UNION ALL SELECT 5, 'inbound without queue time', inbound_without_queue, inbound_without_queue,
           'not offered: shown in volumes, not in service level or abandonment' FROM c
    UNION ALL SELECT 6, 'offered without wait', offered_without_wait, offered_without_wait,
           'offered calls whose wait is unknown: never in threshold' FROM c
    UNION ALL SELECT 7, 'undecodable vendor records',
           (SELECT count(*) FROM raw_records WHERE decode_error IS NOT NULL
              AND window_start >= unixepoch(:from) - 86400 AND window_start < unixepoch(:to)), NULL,
           'kept raw with their error (raw_records.decode_error); re-derived when the mapping improves'
    UNION ALL SELECT 8, 'synced again after erasure', synced_after_erasure, NULL,
           'calls of customers erased on request that a later sync stored again with their number (the vendor still has them); their recordings stay erased' FROM c
)
SELECT * FROM (
    SELECT check_name, NULL AS source, count,
           CASE WHEN share IS NOT NULL AND (SELECT calls FROM c) > 0
                THEN printf('%.4f', 1.0 * share / (SELECT calls FROM c)) END AS share,
           meaning
    FROM totals ORDER BY rank
)
UNION ALL
SELECT * FROM checks;
