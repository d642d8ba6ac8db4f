-- calltrail_outbound: queries/outbound.sql for PostgreSQL: attempts, connected, connect rate and talk
-- time, in total and per campaign, agent and outbound number (one row per dimension and key).
CREATE OR REPLACE FUNCTION calltrail_outbound(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (dimension text, key text, attempts bigint, connected bigint, connect_rate text, avg_talk_s text)
LANGUAGE sql STABLE AS $$
WITH o AS (
    SELECT queue, agent, did, outcome, talk_s
    FROM calltrail_period_calls(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, p_queues)
    WHERE direction = 'outbound'
),
dimensions(dimension, rank) AS (VALUES ('total', 0), ('campaign', 1), ('agent', 2), ('number', 3)),
keyed AS (
    SELECT d.dimension, d.rank,
           CASE d.dimension WHEN 'total' THEN 'all' WHEN 'campaign' THEN coalesce(o.queue, '(none)')
                            WHEN 'agent' THEN coalesce(o.agent, '(none)') ELSE coalesce(o.did, '(unknown)') END AS key,
           o.outcome, o.talk_s
    FROM o CROSS JOIN dimensions d
)
SELECT dimension, key, count(*),
       count(*) FILTER (WHERE outcome = 'outbound_answered'),
       calltrail_format(1.0 * count(*) FILTER (WHERE outcome = 'outbound_answered') / count(*), 4),
       CASE WHEN count(*) FILTER (WHERE outcome = 'outbound_answered') > 0
            THEN calltrail_format(avg(talk_s) FILTER (WHERE outcome = 'outbound_answered'), 1) END
FROM keyed
GROUP BY dimension, key
ORDER BY min(rank), count(*) DESC, key COLLATE "C"
$$;
