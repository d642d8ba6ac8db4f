-- recording_verification: when the archive was last re-hashed against the ledger (`recordings verify`,
-- nightly `--sample P`): every stored recording (found or converted), archive-wide, by how long before
-- the period's end it was last verified and matched; never verified ones apart. A nightly at P % keeps
-- every file within 100 / P days.
-- Parameters: :to as in summary.sql (the other parameters are not used).
-- Time zones: none (ages in seconds).
WITH stored AS (
    SELECT verified_at FROM recordings WHERE state IN ('found', 'converted')
),
buckets(verified, rank) AS (
    VALUES ('since the period''s end', 0), ('within 1 day', 1), ('2–7 days', 2), ('8–30 days', 3), ('over 30 days', 4), ('never', 5)
),
aged AS (
    SELECT CASE
               WHEN verified_at IS NULL THEN 'never'
               WHEN verified_at >= unixepoch(:to) THEN 'since the period''s end'
               WHEN unixepoch(:to) - verified_at <= 86400 THEN 'within 1 day'
               WHEN unixepoch(:to) - verified_at <= 604800 THEN '2–7 days'
               WHEN unixepoch(:to) - verified_at <= 2592000 THEN '8–30 days'
               ELSE 'over 30 days'
           END AS verified
    FROM stored
)
SELECT b.verified, count(a.verified) AS recordings,
       CASE WHEN (SELECT count(*) FROM stored) > 0 THEN printf('%.4f', 1.0 * count(a.verified) / (SELECT count(*) FROM stored)) END AS share
FROM buckets b LEFT JOIN aged a USING (verified)
GROUP BY b.verified, b.rank ORDER BY b.rank;
