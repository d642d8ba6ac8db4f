-- recording_coverage: of the calls in [:from, :to) that carry a recording reference, how many
-- recordings are found, converted, missing, failed, purged by retention, erased on request, or not fetched
-- yet (the recordings ledger).
-- Parameters: :from, :to, :tz as in summary.sql.
-- Time zones: only the period bounds.
WITH c AS (
    SELECT source, call_id FROM report_calls
    WHERE zone = :tz AND recording_ref IS NOT NULL
      AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
),
states(state, rank) AS (
    VALUES ('found', 0), ('converted', 1), ('pending', 2), ('missing', 3), ('failed', 4), ('purged', 5), ('erased', 6), ('not fetched', 7)
),
per_state AS (
    SELECT coalesce(r.state, 'not fetched') AS state, count(*) AS calls, sum(r.bytes) AS bytes
    FROM c LEFT JOIN recordings r USING (source, call_id) GROUP BY 1
)
SELECT s.state, coalesce(p.calls, 0) AS calls,
       CASE WHEN (SELECT count(*) FROM c) > 0 THEN printf('%.4f', 1.0 * coalesce(p.calls, 0) / (SELECT count(*) FROM c)) END AS share,
       coalesce(p.bytes, 0) AS bytes
FROM states s LEFT JOIN per_state p USING (state) ORDER BY s.rank;
