-- calltrail_recording_coverage: queries/recording_coverage.sql for PostgreSQL: of the calls in the period
-- that carry a recording reference, how many recordings are found, converted, pending, missing, failed,
-- purged, erased, or not fetched yet (the sites' recordings ledgers).
CREATE OR REPLACE FUNCTION calltrail_recording_coverage(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (state text, calls bigint, share text, bytes bigint)
LANGUAGE sql STABLE AS $$
WITH c AS (
    SELECT site, source, call_id FROM calltrail_period_calls(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, NULL)
    WHERE recording_ref IS NOT NULL
),
states(state, rank) AS (
    VALUES ('found', 0), ('converted', 1), ('pending', 2), ('missing', 3), ('failed', 4), ('purged', 5), ('erased', 6), ('not fetched', 7)
),
per_state AS (
    SELECT coalesce(r.state, 'not fetched') AS state, count(*) AS calls, sum(r.bytes) AS bytes
    FROM c LEFT JOIN recordings r ON r.site = c.site AND r.source = c.source AND r.call_id = c.call_id
    GROUP BY 1
)
SELECT s.state, coalesce(p.calls, 0),
       CASE WHEN (SELECT count(*) FROM c) > 0 THEN calltrail_format(1.0 * coalesce(p.calls, 0) / (SELECT count(*) FROM c), 4) END,
       coalesce(p.bytes, 0)::bigint
FROM states s LEFT JOIN per_state p USING (state) ORDER BY s.rank
$$;
