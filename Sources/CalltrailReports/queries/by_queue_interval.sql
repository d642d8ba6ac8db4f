-- by_queue_interval: every figure of summary.sql per queue and :interval minutes on the clock of :tz, the
-- grid a workforce-management tool imports: every interval of [:from, :to) (empty ones too; a DST day has
-- 23 or 25 hours, the repeated hour of a fall-back day told apart by its offset) for the queues with
-- offered calls in the period, each interval's ALL row first (every queue together, by_interval's row).
-- Parameters: :from, :to, :tz, :threshold, :short_abandon, :queues, :interval as in by_interval.sql.
-- Figures: as summary.sql, from the cell's own calls; percentiles by nearest rank over its answered waits.
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
    SELECT CAST(queued_at AS INTEGER) - ((CAST(queued_at AS INTEGER) + offset_s) % (:interval * 60)) AS t_start,
           coalesce(queue, '(none)') AS queue, outcome, wait_s, talk_s, hold_s, talk_s + hold_s + wrap_s AS handle_s,
           coalesce(queue_threshold_s, :threshold) AS t,
           coalesce(queue_short_abandon_s, :short_abandon) AS s
    FROM report_calls
    WHERE zone = :tz AND direction = 'inbound' AND queued_at IS NOT NULL
      AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
      AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
),
-- Each call counts in its queue's cell and in its interval's ALL cell; a cell is "start queue".
offered AS (
    SELECT t_start || ' ' || queue AS bucket, * FROM calls_in
    UNION ALL
    SELECT t_start || ' ALL' AS bucket, * FROM calls_in
),
queues(queue) AS (
    SELECT 'ALL' UNION SELECT queue FROM calls_in
),
per_bucket AS (
    SELECT bucket, count(*) AS offered, sum(outcome = 'answered') AS answered, sum(outcome = 'abandoned') AS abandoned,
           sum(outcome = 'abandoned' AND wait_s < s) AS short_abandoned,
           sum(outcome = 'answered' AND wait_s <= t) AS answered_in_t,
           sum(outcome = 'abandoned' AND wait_s <= t) AS abandoned_in_t,
           avg(CASE WHEN outcome = 'answered' THEN wait_s END) AS asa,
           avg(CASE WHEN outcome = 'abandoned' THEN wait_s END) AS wait_abandoned,
           max(wait_s) AS max_wait,
           avg(CASE WHEN outcome = 'answered' THEN handle_s END) AS aht,
           avg(CASE WHEN outcome = 'answered' THEN talk_s END) AS talk,
           avg(CASE WHEN outcome = 'answered' THEN hold_s END) AS hold
    FROM offered GROUP BY bucket
),
-- Nearest rank per interval: the smallest answered wait whose running count reaches ceil(p · n).
wait_counts AS (
    SELECT bucket, wait_s, count(*) AS n FROM offered WHERE outcome = 'answered' GROUP BY bucket, wait_s
),
running AS (
    SELECT bucket, wait_s, sum(n) OVER (PARTITION BY bucket ORDER BY wait_s) AS reached, sum(n) OVER (PARTITION BY bucket) AS total
    FROM wait_counts
),
p50 AS (
    SELECT bucket, wait_s FROM (SELECT bucket, wait_s, row_number() OVER (PARTITION BY bucket ORDER BY wait_s) AS k
                                FROM running WHERE reached >= (total * 50 + 99) / 100) WHERE k = 1
),
p90 AS (
    SELECT bucket, wait_s FROM (SELECT bucket, wait_s, row_number() OVER (PARTITION BY bucket ORDER BY wait_s) AS k
                                FROM running WHERE reached >= (total * 90 + 99) / 100) WHERE k = 1
),
figures AS (
    SELECT g.t, q.queue, coalesce(p.offered, 0) AS offered, coalesce(p.answered, 0) AS answered, coalesce(p.abandoned, 0) AS abandoned,
           coalesce(p.short_abandoned, 0) AS short_abandoned, coalesce(p.answered_in_t, 0) AS answered_in_t,
           coalesce(p.abandoned_in_t, 0) AS abandoned_in_t, p.asa, p.wait_abandoned, p.max_wait, p.aht, p.talk, p.hold,
           p50.bucket IS NOT NULL AS has_waits, p50.wait_s AS p50, p90.wait_s AS p90
    FROM grid g CROSS JOIN queues q
    LEFT JOIN per_bucket p ON p.bucket = g.t || ' ' || q.queue
    LEFT JOIN p50 ON p50.bucket = g.t || ' ' || q.queue
    LEFT JOIN p90 ON p90.bucket = g.t || ' ' || q.queue
)
SELECT strftime('%Y-%m-%dT%H:%M:%S', f.t + z.offset_s, 'unixepoch') || z.offset_label AS interval_start, f.queue,
       offered, answered, abandoned, short_abandoned, answered_in_t, abandoned_in_t,
       CASE WHEN offered - short_abandoned > 0 THEN printf('%.4f', 1.0 * answered_in_t / (offered - short_abandoned)) END AS service_level,
       CASE WHEN answered > 0 THEN printf('%.4f', 1.0 * answered_in_t / answered) END AS sl_v1_answered,
       CASE WHEN answered + abandoned > 0 THEN printf('%.4f', 1.0 * answered_in_t / (answered + abandoned)) END AS sl_v2_offered,
       CASE WHEN answered + abandoned - abandoned_in_t > 0
            THEN printf('%.4f', 1.0 * answered_in_t / (answered + abandoned - abandoned_in_t)) END AS sl_v3_ignore_late_abandons,
       CASE WHEN answered + abandoned > 0
            THEN printf('%.4f', 1.0 * (answered_in_t + abandoned_in_t) / (answered + abandoned)) END AS sl_v4_with_abandoned,
       CASE WHEN offered - short_abandoned > 0
            THEN printf('%.4f', 1.0 * (abandoned - short_abandoned) / (offered - short_abandoned)) END AS abandon_rate,
       CASE WHEN offered > 0 THEN printf('%.4f', 1.0 * abandoned / offered) END AS abandon_rate_all,
       CASE WHEN asa IS NOT NULL THEN printf('%.1f', asa) END AS asa_s,
       CASE WHEN wait_abandoned IS NOT NULL THEN printf('%.1f', wait_abandoned) END AS avg_wait_abandoned_s,
       CASE WHEN max_wait IS NOT NULL THEN printf('%.1f', max_wait) END AS max_wait_s,
       CASE WHEN aht IS NOT NULL THEN printf('%.1f', aht) END AS aht_s,
       CASE WHEN talk IS NOT NULL THEN printf('%.1f', talk) END AS avg_talk_s,
       CASE WHEN hold IS NOT NULL THEN printf('%.1f', hold) END AS avg_hold_s,
       CASE WHEN has_waits THEN printf('%.1f', p50) END AS p50_wait_s,
       CASE WHEN has_waits THEN printf('%.1f', p90) END AS p90_wait_s
FROM figures f
JOIN time_zone_offsets z ON z.zone = :tz AND f.t >= z.from_utc AND f.t < z.to_utc
ORDER BY f.t, f.queue <> 'ALL', f.queue;
