-- calltrail_by_agent: queries/by_agent.sql for PostgreSQL: per agent, the summary's figures that apply to
-- the inbound calls the agent answered (answered within T, sl_v1_answered, ASA, longest wait, AHT, talk,
-- hold, p50/p90 wait by nearest rank) and the talk time in all, then outbound attempts and connections,
-- summed from the agent tallies (agent_tallies, each site's 15-minute slots, and agent_tally_waits).
-- Agents are per site and source; agent_name is the vendor's name for the id (the site's source_agents).
CREATE OR REPLACE FUNCTION calltrail_by_agent(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (source text, agent text, agent_name text, inbound_answered bigint, answered_in_t bigint, sl_v1_answered text,
               asa_s text, max_wait_s text, aht_s text, avg_talk_s text, avg_hold_s text, p50_wait_s text, p90_wait_s text,
               inbound_talk_s text, outbound_attempts bigint, outbound_connected bigint)
LANGUAGE sql STABLE AS $$
WITH slots AS (
    SELECT a.*, coalesce(q.threshold_s, p_threshold) AS t,
           CASE WHEN p_site IS NULL THEN a.site || '/' || a.source ELSE a.source END AS source_label
    FROM agent_tallies a LEFT JOIN queue_settings q ON q.site = a.site AND q.queue = a.queue
    WHERE a.slot_start >= p_from AND a.slot_start < p_to
      AND (p_site IS NULL OR a.site = p_site)
      AND (p_queues IS NULL OR a.queue = ANY (p_queues))
),
per_agent AS (
    SELECT site, source, source_label, agent,
           sum(answered)::bigint AS answered,
           sum(answered_wait_s) / nullif(sum(answered_waited), 0) AS asa,
           max(max_wait_s) AS max_wait,
           sum(talk_s) AS talk_total,
           sum(talk_s) / nullif(sum(answered), 0) AS talk,
           sum(hold_s) / nullif(sum(answered), 0) AS hold,
           sum(handle_s) / nullif(sum(answered), 0) AS aht,
           sum(outbound_attempts)::bigint AS attempts,
           sum(outbound_connected)::bigint AS connected
    FROM slots GROUP BY site, source, source_label, agent
),
waits AS (
    SELECT s.site, s.source, s.agent, s.t, w.wait_s, w.calls
    FROM slots s JOIN agent_tally_waits w ON w.site = s.site AND w.tally = s.id
),
in_t AS (
    SELECT site, source, agent, coalesce(sum(calls) FILTER (WHERE wait_s <= t), 0)::bigint AS answered_in_t
    FROM waits GROUP BY site, source, agent
),
-- Nearest rank per agent, an answered call without a wait ranked first as SQLite ranks NULL.
ranked AS (
    SELECT site, source, agent, wait_s,
           sum(calls) OVER (PARTITION BY site, source, agent ORDER BY wait_s NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)::bigint
               AS reached,
           sum(calls) OVER (PARTITION BY site, source, agent)::bigint AS n
    FROM (SELECT site, source, agent, wait_s, sum(calls) AS calls FROM waits GROUP BY site, source, agent, wait_s) answered
),
percentiles AS (
    SELECT site, source, agent,
           (array_agg(coalesce(wait_s, 0) ORDER BY wait_s NULLS FIRST) FILTER (WHERE reached >= (n * 50 + 99) / 100))[1] AS p50,
           (array_agg(coalesce(wait_s, 0) ORDER BY wait_s NULLS FIRST) FILTER (WHERE reached >= (n * 90 + 99) / 100))[1] AS p90
    FROM ranked GROUP BY site, source, agent
)
SELECT p.source_label, p.agent,
       (SELECT a.name FROM source_agents a WHERE a.site = p.site AND a.source = p.source AND a.agent_id = p.agent LIMIT 1),
       p.answered, coalesce(i.answered_in_t, 0),
       CASE WHEN p.answered > 0 THEN calltrail_format(1.0 * coalesce(i.answered_in_t, 0) / p.answered, 4) END,
       calltrail_format(p.asa, 1), calltrail_format(p.max_wait, 1), calltrail_format(p.aht, 1),
       calltrail_format(p.talk, 1), calltrail_format(p.hold, 1),
       CASE WHEN p.answered > 0 THEN calltrail_format(r.p50, 1) END,
       CASE WHEN p.answered > 0 THEN calltrail_format(r.p90, 1) END,
       calltrail_format(coalesce(p.talk_total, 0), 1), p.attempts, p.connected
FROM per_agent p
LEFT JOIN in_t i ON i.site = p.site AND i.source = p.source AND i.agent = p.agent
LEFT JOIN percentiles r ON r.site = p.site AND r.source = p.source AND r.agent = p.agent
ORDER BY p.answered + p.attempts DESC, p.source_label COLLATE "C", p.agent COLLATE "C"
$$;
