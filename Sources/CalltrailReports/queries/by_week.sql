-- by_week: every figure of summary.sql per ISO week (Monday to Sunday) on the clock of :tz, a call counted
-- in the week of the day it was offered; the weeks with offered calls. `week` is the ISO week
-- (2026-W49: the week's Thursday decides its year), `week_start` its Monday. Rolled up from the calls;
-- percentiles are the nearest rank over the week's answered waits.
-- Parameters: :from, :to, :tz, :threshold, :short_abandon, :queues as in summary.sql.
-- Time zones: in SQL, through report_calls.local_s (the offered instant on the local clock).
WITH offered AS (
    SELECT date(local_s, 'unixepoch', 'weekday 0', '-6 days') AS bucket, outcome, wait_s, talk_s, hold_s, talk_s + hold_s + wrap_s AS handle_s,
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
    SELECT p.*, p50.bucket IS NOT NULL AS has_waits, p50.wait_s AS p50, p90.wait_s AS p90
    FROM per_bucket p LEFT JOIN p50 ON p50.bucket = p.bucket LEFT JOIN p90 ON p90.bucket = p.bucket
)
SELECT strftime('%Y', bucket, '+3 days') || '-W' || printf('%02d', (strftime('%j', bucket, '+3 days') - 1) / 7 + 1) AS week,
       bucket AS week_start,
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
FROM figures ORDER BY bucket;
