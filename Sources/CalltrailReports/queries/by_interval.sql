-- by_interval: offered, answered, abandoned and service level per :interval minutes, aligned to the
-- clock of :tz, every interval of [:from, :to) listed, empty ones too. A DST day has 23 or 25 hours of
-- intervals: the repeated hour of a fall-back day appears twice, told apart by its offset.
-- Parameters: :from, :to, :tz, :threshold, :short_abandon, :queues as in summary.sql;
--   :interval   minutes: 15, 30 or 60
-- Time zones: in SQL. An interval is the UTC instant of its start; a call belongs to the interval that
-- contains its queued_at on the local clock (counted once there, even if answered later).
WITH RECURSIVE
bounds AS (
    SELECT unixepoch(:from) AS f, unixepoch(:to) AS e, :interval * 60 AS step,
           (SELECT offset_s FROM time_zone_offsets WHERE zone = :tz
              AND unixepoch(:from) >= from_utc AND unixepoch(:from) < to_utc) AS off
),
grid(t) AS (
    SELECT f - ((f + off) % step) FROM bounds
    UNION ALL
    SELECT t + step FROM grid, bounds WHERE t + step < e
),
calls_in AS (
    SELECT CAST(queued_at AS INTEGER) - ((CAST(queued_at AS INTEGER) + offset_s) % (:interval * 60)) AS bucket,
           outcome, wait_s, talk_s + hold_s + wrap_s AS handle_s,
           coalesce(queue_threshold_s, :threshold) AS t,
           coalesce(queue_short_abandon_s, :short_abandon) AS s
    FROM report_calls
    WHERE zone = :tz AND direction = 'inbound' AND queued_at IS NOT NULL
      AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
      AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
),
per_bucket AS (
    SELECT bucket, count(*) AS offered, sum(outcome = 'answered') AS answered, sum(outcome = 'abandoned') AS abandoned,
           sum(outcome = 'abandoned' AND wait_s < s) AS short_abandoned,
           sum(outcome = 'answered' AND wait_s <= t) AS answered_in_t,
           avg(CASE WHEN outcome = 'answered' THEN wait_s END) AS asa,
           avg(CASE WHEN outcome = 'answered' THEN handle_s END) AS aht
    FROM calls_in GROUP BY bucket
)
SELECT strftime('%Y-%m-%dT%H:%M:%S', g.t + z.offset_s, 'unixepoch') || z.offset_label AS interval_start,
       coalesce(p.offered, 0) AS offered, coalesce(p.answered, 0) AS answered, coalesce(p.abandoned, 0) AS abandoned,
       coalesce(p.short_abandoned, 0) AS short_abandoned, coalesce(p.answered_in_t, 0) AS answered_in_t,
       CASE WHEN p.offered - p.short_abandoned > 0 THEN printf('%.4f', 1.0 * p.answered_in_t / (p.offered - p.short_abandoned)) END AS service_level,
       CASE WHEN p.offered - p.short_abandoned > 0
            THEN printf('%.4f', 1.0 * (p.abandoned - p.short_abandoned) / (p.offered - p.short_abandoned)) END AS abandon_rate,
       CASE WHEN p.asa IS NOT NULL THEN printf('%.1f', p.asa) END AS asa_s,
       CASE WHEN p.aht IS NOT NULL THEN printf('%.1f', p.aht) END AS aht_s
FROM grid g
JOIN time_zone_offsets z ON z.zone = :tz AND g.t >= z.from_utc AND g.t < z.to_utc
LEFT JOIN per_bucket p ON p.bucket = g.t
ORDER BY g.t;
