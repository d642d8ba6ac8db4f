-- by_number: per center number (the DID a customer dialled, or the number an outbound call showed):
-- every inbound figure of summary.sql over the calls offered on it, and outbound attempts and connections.
-- Percentiles are the nearest rank over the number's answered waits.
-- Parameters: :from, :to, :tz, :threshold, :short_abandon, :queues as in summary.sql.
-- number_name: the vendor's alias and group for the number, where a source lists them (source_numbers).
-- Time zones: only the period bounds.
WITH period_calls AS (
    SELECT coalesce(did, '(unknown)') AS bucket, did, direction, queued_at, outcome, wait_s, talk_s, hold_s,
           talk_s + hold_s + wrap_s AS handle_s,
           coalesce(queue_threshold_s, :threshold) AS t,
           coalesce(queue_short_abandon_s, :short_abandon) AS s
    FROM report_calls
    WHERE zone = :tz AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
      AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
),
offered AS (
    SELECT * FROM period_calls WHERE direction = 'inbound' AND queued_at IS NOT NULL
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
per_number AS (
    SELECT bucket,
           (SELECT coalesce(n.name, '') || CASE WHEN n.group_name IS NOT NULL THEN ' (' || n.group_name || ')' ELSE '' END
              FROM source_numbers n WHERE n.number = did LIMIT 1) AS number_name,
           sum(direction = 'outbound') AS outbound_attempts,
           sum(outcome = 'outbound_answered') AS outbound_connected
    FROM period_calls GROUP BY bucket
),
figures AS (
    SELECT n.bucket, n.number_name, n.outbound_attempts, n.outbound_connected,
           coalesce(p.offered, 0) AS offered, coalesce(p.answered, 0) AS answered, coalesce(p.abandoned, 0) AS abandoned,
           coalesce(p.short_abandoned, 0) AS short_abandoned, coalesce(p.answered_in_t, 0) AS answered_in_t,
           coalesce(p.abandoned_in_t, 0) AS abandoned_in_t, p.asa, p.wait_abandoned, p.max_wait, p.aht, p.talk, p.hold,
           p50.bucket IS NOT NULL AS has_waits, p50.wait_s AS p50, p90.wait_s AS p90
    FROM per_number n
    LEFT JOIN per_bucket p ON p.bucket = n.bucket
    LEFT JOIN p50 ON p50.bucket = n.bucket
    LEFT JOIN p90 ON p90.bucket = n.bucket
)
SELECT bucket AS number, number_name,
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
       CASE WHEN has_waits THEN printf('%.1f', p90) END AS p90_wait_s,
       outbound_attempts, outbound_connected,
       CASE WHEN outbound_attempts > 0 THEN printf('%.4f', 1.0 * outbound_connected / outbound_attempts) END AS connect_rate
FROM figures ORDER BY offered + outbound_attempts DESC, bucket;
