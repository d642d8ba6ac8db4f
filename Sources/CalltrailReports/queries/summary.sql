-- summary: the headline figures of docs/METRICS.md over inbound calls offered in [:from, :to).
--
-- Parameters (`.param set` in the sqlite3 shell; `calltrail report` binds the same names):
--   :from, :to       ISO 8601 with offset, e.g. '2026-03-01T00:00:00-03:00'; :to is exclusive
--   :tz              IANA zone of the report, e.g. 'America/Montevideo'
--   :threshold       T in seconds: answered within T (inclusive) is in service level
--   :short_abandon   S in seconds: abandons with wait < S are short abandons
--   :queues          JSON array of queue names, or NULL for every queue
-- Time zones: bucketing happens in SQL through the report_calls view, which joins each call to the
-- time_zone_offsets row of :tz in force when it was offered (`calltrail report` fills that table).
-- Per-queue T and S come from queue_settings when set there.
WITH offered AS (
    SELECT outcome, wait_s, talk_s, hold_s, wrap_s,
           coalesce(queue_threshold_s, :threshold) AS t,
           coalesce(queue_short_abandon_s, :short_abandon) AS s
    FROM report_calls
    WHERE zone = :tz AND direction = 'inbound' AND queued_at IS NOT NULL
      AND attributed_at >= unixepoch(:from) AND attributed_at < unixepoch(:to)
      AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
),
counts AS (
    SELECT count(*) AS offered,
           coalesce(sum(outcome = 'answered'), 0) AS answered,
           coalesce(sum(outcome = 'abandoned'), 0) AS abandoned,
           coalesce(sum(outcome = 'abandoned' AND wait_s < s), 0) AS short_abandoned,
           coalesce(sum(outcome = 'answered' AND wait_s <= t), 0) AS answered_in_t,
           coalesce(sum(outcome = 'abandoned' AND wait_s <= t), 0) AS abandoned_in_t,
           avg(CASE WHEN outcome = 'answered' THEN wait_s END) AS asa,
           avg(CASE WHEN outcome = 'abandoned' THEN wait_s END) AS wait_abandoned,
           max(wait_s) AS max_wait,
           avg(CASE WHEN outcome = 'answered' THEN talk_s + hold_s + wrap_s END) AS aht,
           avg(CASE WHEN outcome = 'answered' THEN talk_s END) AS talk,
           avg(CASE WHEN outcome = 'answered' THEN hold_s END) AS hold
    FROM offered
),
-- Nearest-rank percentiles of the answered calls' waits: the smallest wait whose running count reaches
-- rank ceil(p · n). Counting each distinct wait once sorts the waits once, for both percentiles.
wait_counts AS (
    SELECT wait_s, count(*) AS n FROM offered WHERE outcome = 'answered' GROUP BY wait_s
),
running AS (
    SELECT wait_s, sum(n) OVER (ORDER BY wait_s) AS reached, sum(n) OVER () AS total FROM wait_counts
)
SELECT offered, answered, abandoned, short_abandoned, answered_in_t, abandoned_in_t,
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
       (SELECT printf('%.1f', wait_s) FROM running WHERE reached >= (total * 50 + 99) / 100 ORDER BY wait_s LIMIT 1) AS p50_wait_s,
       (SELECT printf('%.1f', wait_s) FROM running WHERE reached >= (total * 90 + 99) / 100 ORDER BY wait_s LIMIT 1) AS p90_wait_s,
       :threshold AS threshold_s, :short_abandon AS short_abandon_s, :tz AS time_zone
FROM counts;
