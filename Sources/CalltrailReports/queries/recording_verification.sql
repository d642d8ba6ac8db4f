-- recording_verification: when the archive was last re-hashed against the ledger (`recordings verify`,
-- nightly `--sample P`): every stored recording (found or converted), archive-wide, by how long before
-- the period's end it was last verified and matched; never verified ones apart. A nightly at P % keeps
-- every file within 100 / P days.
-- Parameters: :to as in summary.sql (the other parameters are not used).
-- Time zones: none (ages in seconds).
-- Each bucket is counted by a range of the verification index (a few hundred milliseconds for ten
-- million recordings): bucketing every row and joining the buckets to them took 10 s.
WITH buckets(verified, rank, recordings) AS (
    VALUES ('since the period''s end', 0, (SELECT count(*) FROM recordings WHERE state IN ('found', 'converted') AND verified_at >= unixepoch(:to))),
           ('within 1 day', 1, (SELECT count(*) FROM recordings WHERE state IN ('found', 'converted') AND verified_at < unixepoch(:to) AND verified_at >= unixepoch(:to) - 86400)),
           ('2–7 days', 2, (SELECT count(*) FROM recordings WHERE state IN ('found', 'converted') AND verified_at < unixepoch(:to) - 86400 AND verified_at >= unixepoch(:to) - 604800)),
           ('8–30 days', 3, (SELECT count(*) FROM recordings WHERE state IN ('found', 'converted') AND verified_at < unixepoch(:to) - 604800 AND verified_at >= unixepoch(:to) - 2592000)),
           ('over 30 days', 4, (SELECT count(*) FROM recordings WHERE state IN ('found', 'converted') AND verified_at < unixepoch(:to) - 2592000)),
           ('never', 5, (SELECT count(*) FROM recordings WHERE state IN ('found', 'converted') AND verified_at IS NULL))
),
total AS (SELECT sum(recordings) AS stored FROM buckets)
SELECT verified, recordings, CASE WHEN stored > 0 THEN printf('%.4f', 1.0 * recordings / stored) END AS share
FROM buckets, total ORDER BY rank;
