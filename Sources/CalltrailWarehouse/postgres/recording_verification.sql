-- calltrail_recording_verification: queries/recording_verification.sql for PostgreSQL: every stored
-- recording (found or converted) of the site or of all, archive-wide, by how long before the period's
-- end it was last re-hashed and matched; never verified ones apart.
CREATE OR REPLACE FUNCTION calltrail_recording_verification(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (verified text, recordings bigint, share text)
LANGUAGE sql STABLE AS $$
WITH stored AS (
    SELECT extract(epoch FROM verified_at)::double precision AS verified_at FROM recordings
    WHERE state IN ('found', 'converted') AND (p_site IS NULL OR site = p_site)
),
period_end AS (SELECT floor(extract(epoch FROM p_to))::double precision AS e),
buckets(verified, rank) AS (
    VALUES ('since the period''s end', 0), ('within 1 day', 1), ('2–7 days', 2), ('8–30 days', 3), ('over 30 days', 4), ('never', 5)
),
aged AS (
    SELECT CASE
               WHEN verified_at IS NULL THEN 'never'
               WHEN verified_at >= e THEN 'since the period''s end'
               WHEN e - verified_at <= 86400 THEN 'within 1 day'
               WHEN e - verified_at <= 604800 THEN '2–7 days'
               WHEN e - verified_at <= 2592000 THEN '8–30 days'
               ELSE 'over 30 days'
           END AS verified
    FROM stored, period_end
)
SELECT b.verified, count(a.verified),
       CASE WHEN (SELECT count(*) FROM stored) > 0 THEN calltrail_format(1.0 * count(a.verified) / (SELECT count(*) FROM stored), 4) END
FROM buckets b LEFT JOIN aged a USING (verified)
GROUP BY b.verified, b.rank ORDER BY b.rank
$$;
