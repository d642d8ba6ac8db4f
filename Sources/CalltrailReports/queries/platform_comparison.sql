-- platform_comparison: the platform's own service level (uContact Supervisor/campaignstatus, stored in
-- platform_stats at each sync) beside Calltrail's, per campaign, for the latest snapshot taken in
-- [:from, :to). The platform counts from its daily reset (taken as local midnight of the snapshot's
-- day) to the snapshot, with its own threshold: Calltrail's figures are computed over the same calls
-- (inbound, offered to that campaign in that span) with the same threshold, so a difference shows a
-- difference of counting, not of period. V1 = answered within T / answered (servicelevel);
-- V4 = (answered + abandoned within T) / (answered + abandoned) (servicelevel2). A figure the platform
-- did not give (no threshold, no service level) is an empty cell, and so is every difference from it.
-- Parameters: :from, :to, :tz as in summary.sql.
-- Time zones: in SQL: local midnight from the time_zone_offsets row in force at the snapshot (on a
-- DST change day the reset may be an hour off).
WITH latest AS (
    SELECT p.* FROM platform_stats p
    WHERE p.taken_at >= unixepoch(:from) AND p.taken_at < unixepoch(:to)
      AND p.taken_at = (SELECT max(q.taken_at) FROM platform_stats q
                        WHERE q.source = p.source AND q.campaign = p.campaign
                          AND q.taken_at >= unixepoch(:from) AND q.taken_at < unixepoch(:to))
),
spans AS (
    SELECT l.*, CAST(l.taken_at AS INTEGER) - ((CAST(l.taken_at AS INTEGER) + z.offset_s) % 86400) AS day_start,
           z.offset_s, z.offset_label
    FROM latest l JOIN time_zone_offsets z ON z.zone = :tz AND l.taken_at >= z.from_utc AND l.taken_at < z.to_utc
),
ours AS (
    SELECT s.source, s.campaign, s.taken_at,
           coalesce(sum(c.outcome = 'answered'), 0) AS answered,
           coalesce(sum(c.outcome = 'abandoned'), 0) AS abandoned,
           coalesce(sum(c.outcome = 'answered' AND c.wait_s <= s.slevelthreshold), 0) AS answered_in_t,
           coalesce(sum(c.outcome = 'abandoned' AND c.wait_s <= s.slevelthreshold), 0) AS abandoned_in_t
    FROM spans s
    LEFT JOIN calls c ON c.source = s.source AND c.queue = s.campaign AND c.direction = 'inbound'
                     AND c.queued_at IS NOT NULL
                     AND coalesce(c.queued_at, c.started_at) >= s.day_start AND coalesce(c.queued_at, c.started_at) < s.taken_at
    GROUP BY s.source, s.campaign, s.taken_at
)
SELECT s.source, s.campaign,
       strftime('%Y-%m-%dT%H:%M:%S', CAST(s.taken_at AS INTEGER) + s.offset_s, 'unixepoch') || s.offset_label AS taken_at,
       CASE WHEN s.slevelthreshold IS NOT NULL THEN printf('%.1f', s.slevelthreshold) END AS threshold_s,
       s.completed AS platform_answered, o.answered, s.abandoned AS platform_abandoned, o.abandoned,
       CASE WHEN s.servicelevel IS NOT NULL THEN printf('%.4f', s.servicelevel / 100.0) END AS platform_sl_v1,
       CASE WHEN o.answered > 0 AND s.slevelthreshold IS NOT NULL THEN printf('%.4f', 1.0 * o.answered_in_t / o.answered) END AS sl_v1_answered,
       CASE WHEN o.answered > 0 AND s.slevelthreshold IS NOT NULL AND s.servicelevel IS NOT NULL
            THEN printf('%.4f', 1.0 * o.answered_in_t / o.answered - s.servicelevel / 100.0) END AS sl_v1_difference,
       CASE WHEN s.servicelevel2 IS NOT NULL THEN printf('%.4f', s.servicelevel2 / 100.0) END AS platform_sl_v4,
       CASE WHEN o.answered + o.abandoned > 0 AND s.slevelthreshold IS NOT NULL
            THEN printf('%.4f', 1.0 * (o.answered_in_t + o.abandoned_in_t) / (o.answered + o.abandoned)) END AS sl_v4_with_abandoned,
       CASE WHEN o.answered + o.abandoned > 0 AND s.slevelthreshold IS NOT NULL AND s.servicelevel2 IS NOT NULL
            THEN printf('%.4f', 1.0 * (o.answered_in_t + o.abandoned_in_t) / (o.answered + o.abandoned) - s.servicelevel2 / 100.0) END AS sl_v4_difference
FROM spans s JOIN ours o USING (source, campaign, taken_at)
ORDER BY s.source, s.campaign;
