-- by_hour: offered, answered and abandoned inbound calls per hour of the day (0–23) of :tz, summed over
-- the period from the interval tallies (call_tallies: the calls offered per 15-minute slot); every hour
-- listed.
-- Parameters: :from, :to, :tz, :queues as in summary.sql. Tallies count whole slots: :from and :to fall on
-- quarter hours (a report's days and intervals do).
-- Time zones: in SQL: each slot's hour on the clock of :tz, from the time_zone_offsets row in force at
-- its start (offsets are whole quarter hours, so a slot never straddles an hour).
WITH RECURSIVE hours(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hours WHERE h < 23),
per_hour AS (
    SELECT (t.slot_utc + z.offset_s) % 86400 / 3600 AS h,
           sum(t.offered) AS offered, sum(t.answered) AS answered, sum(t.abandoned) AS abandoned
    FROM time_zone_offsets z
    CROSS JOIN call_tallies t ON t.slot_utc >= z.from_utc AND t.slot_utc < z.to_utc
    WHERE z.zone = :tz AND t.slot_utc >= unixepoch(:from) AND t.slot_utc < unixepoch(:to)
      AND (:queues IS NULL OR t.queue IN (SELECT value FROM json_each(:queues)))
    GROUP BY h
)
SELECT hours.h AS hour, coalesce(offered, 0) AS offered, coalesce(answered, 0) AS answered,
       coalesce(abandoned, 0) AS abandoned
FROM hours LEFT JOIN per_hour USING (h) ORDER BY hours.h;
