-- calltrail_platform_comparison: queries/platform_comparison.sql for PostgreSQL: the platform's own
-- service level (uContact Supervisor/campaignstatus snapshots, platform_stats) beside Calltrail's over
-- the same calls, per site, source and campaign, for the latest snapshot taken in the period. The
-- platform counts from its daily reset, taken as local midnight (on the clock of p_tz) of the
-- snapshot's day, with its own threshold. A figure the platform did not give
-- is an empty cell, and so is every difference from it.
CREATE OR REPLACE FUNCTION calltrail_platform_comparison(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (source text, campaign text, taken_at text, threshold_s text, platform_answered integer, answered bigint,
               platform_abandoned integer, abandoned bigint, platform_sl_v1 text, sl_v1_answered text, sl_v1_difference text,
               platform_sl_v4 text, sl_v4_with_abandoned text, sl_v4_difference text)
LANGUAGE sql STABLE AS $$
WITH latest AS (
    SELECT DISTINCT ON (p.site, p.source, p.campaign) p.*
    FROM platform_stats p
    WHERE p.taken_at >= p_from AND p.taken_at < p_to AND (p_site IS NULL OR p.site = p_site)
    ORDER BY p.site, p.source, p.campaign, p.taken_at DESC
),
spans AS (
    SELECT l.*, t.taken_s, t.taken_s - ((t.taken_s + o.off) % 86400) AS day_start, o.off
    FROM latest l
    CROSS JOIN LATERAL (SELECT floor(extract(epoch FROM l.taken_at))::bigint AS taken_s) t
    CROSS JOIN LATERAL (SELECT calltrail_offset(t.taken_s, p_tz) AS off) o
),
ours AS (
    SELECT s.site, s.source, s.campaign,
           count(c.call_id) FILTER (WHERE c.outcome = 'answered') AS answered,
           count(c.call_id) FILTER (WHERE c.outcome = 'abandoned') AS abandoned,
           count(c.call_id) FILTER (WHERE c.outcome = 'answered' AND c.wait_s <= s.slevelthreshold) AS answered_in_t,
           count(c.call_id) FILTER (WHERE c.outcome = 'abandoned' AND c.wait_s <= s.slevelthreshold) AS abandoned_in_t
    FROM spans s
    LEFT JOIN calls c ON c.site = s.site AND c.source = s.source AND c.queue = s.campaign AND c.direction = 'inbound'
                     AND c.queued_at IS NOT NULL
                     AND c.queued_at >= to_timestamp(s.day_start) AND c.queued_at < s.taken_at
    GROUP BY s.site, s.source, s.campaign
)
SELECT CASE WHEN p_site IS NULL THEN s.site || '/' || s.source ELSE s.source END, s.campaign,
       to_char(to_timestamp(s.taken_s + s.off) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || calltrail_offset_label(s.off),
       calltrail_format(s.slevelthreshold, 1),
       s.completed, o.answered, s.abandoned, o.abandoned,
       calltrail_format(s.servicelevel / 100.0, 4),
       CASE WHEN o.answered > 0 AND s.slevelthreshold IS NOT NULL THEN calltrail_format(1.0 * o.answered_in_t / o.answered, 4) END,
       CASE WHEN o.answered > 0 AND s.slevelthreshold IS NOT NULL
            THEN calltrail_format(1.0 * o.answered_in_t / o.answered - s.servicelevel / 100.0, 4) END,
       calltrail_format(s.servicelevel2 / 100.0, 4),
       CASE WHEN o.answered + o.abandoned > 0 AND s.slevelthreshold IS NOT NULL
            THEN calltrail_format(1.0 * (o.answered_in_t + o.abandoned_in_t) / (o.answered + o.abandoned), 4) END,
       CASE WHEN o.answered + o.abandoned > 0 AND s.slevelthreshold IS NOT NULL
            THEN calltrail_format(1.0 * (o.answered_in_t + o.abandoned_in_t) / (o.answered + o.abandoned) - s.servicelevel2 / 100.0, 4) END
FROM spans s JOIN ours o USING (site, source, campaign)
ORDER BY s.site COLLATE "C", s.source COLLATE "C", s.campaign COLLATE "C"
$$;
