-- calltrail_data_quality: queries/data_quality.sql for PostgreSQL: what a reader should know before
-- trusting the figures (calls whose outcome mapped to nothing, calls missing times, offered calls
-- without a wait, vendor records that failed to decode, calls of erased customers a later sync stored
-- again) and each source's mapping checks with how many
-- of its calls in the period broke each (the sites' mapping_checks and undecodable_records).
-- calltrail_mapping_check_tallies: each source's mapping checks, where the source has calls in the
-- period, with the calls that broke each and the source's calls, typed: data_quality's check rows, and
-- the warnings of `calltrail report --from-warehouse`.
CREATE OR REPLACE FUNCTION calltrail_mapping_check_tallies(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (site text, source text, source_label text, name text, failed bigint, calls bigint, meaning text)
LANGUAGE sql STABLE AS $$
WITH period_calls AS (
    SELECT site, source, source_label, failed_checks
    FROM calltrail_period_calls(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, NULL)
),
by_source AS (
    SELECT site, source, source_label, count(*) AS calls FROM period_calls GROUP BY site, source, source_label
),
broken AS (
    SELECT p.site, p.source, j.name, count(*) AS failed
    FROM period_calls p CROSS JOIN LATERAL json_array_elements_text(p.failed_checks::json) AS j(name)
    WHERE p.failed_checks IS NOT NULL
    GROUP BY p.site, p.source, j.name
)
SELECT m.site, m.source, s.source_label, m.name, coalesce(b.failed, 0), s.calls, m.meaning
FROM mapping_checks m
JOIN by_source s ON s.site = m.site AND s.source = m.source
LEFT JOIN broken b ON b.site = m.site AND b.source = m.source AND b.name = m.name
ORDER BY m.site COLLATE "C", m.source COLLATE "C", m.name COLLATE "C"
$$;

CREATE OR REPLACE FUNCTION calltrail_data_quality(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (check_name text, source text, count bigint, share text, meaning text)
LANGUAGE sql STABLE AS $$
WITH period_calls AS (
    SELECT site, source, call_id, customer_number, outcome, direction, queued_at, answered_at, ended_at, wait_s
    FROM calltrail_period_calls(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, NULL)
),
c AS (
    SELECT count(*) AS calls,
           count(*) FILTER (WHERE outcome = 'unknown') AS unknown_outcome,
           count(*) FILTER (WHERE ended_at IS NULL) AS missing_end,
           count(*) FILTER (WHERE outcome = 'answered' AND answered_at IS NULL) AS answered_without_answer,
           count(*) FILTER (WHERE direction = 'inbound' AND queued_at IS NULL) AS inbound_without_queue,
           count(*) FILTER (WHERE queued_at IS NOT NULL AND wait_s IS NULL) AS offered_without_wait,
           count(*) FILTER (WHERE customer_number IS NOT NULL AND EXISTS (
               SELECT 1 FROM recordings r
               WHERE r.site = period_calls.site AND r.source = period_calls.source AND r.call_id = period_calls.call_id AND r.state = 'erased'
           )) AS synced_after_erasure
    FROM period_calls
),
totals(rank, check_name, count, share, meaning) AS (
    SELECT 1, 'calls in period', calls, NULL::bigint,
           'all directions, counted where offered (or started, when never queued)' FROM c
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
           (SELECT count(*) FROM undecodable_records u
             WHERE (p_site IS NULL OR u.site = p_site)
               AND u.window_start >= p_from - interval '1 day' AND u.window_start < p_to),
           NULL, 'kept raw with their error (raw_records.decode_error); re-derived when the mapping improves'
    UNION ALL SELECT 8, 'synced again after erasure', synced_after_erasure, NULL,
           'calls of customers erased on request that a later sync stored again with their number (the vendor still has them); their recordings stay erased' FROM c
),
listed AS (
    SELECT 0 AS part, t.rank, ''::text AS site, ''::text AS source_key, t.check_name, NULL::text AS source, t.count,
           CASE WHEN t.share IS NOT NULL AND (SELECT calls FROM c) > 0 THEN calltrail_format(1.0 * t.share / (SELECT calls FROM c), 4) END AS share,
           t.meaning
    FROM totals t
    UNION ALL
    SELECT 1, 0, m.site, m.source, m.name, m.source_label, m.failed, calltrail_format(1.0 * m.failed / m.calls, 4), m.meaning
    FROM calltrail_mapping_check_tallies(p_from, p_to, p_tz, p_interval, p_threshold, p_short_abandon, p_site, p_queues) m
)
SELECT check_name, source, count, share, meaning FROM listed
ORDER BY part, rank, site COLLATE "C", source_key COLLATE "C", check_name COLLATE "C"
$$;
