-- calltrail_period_calls: every call attributed to [p_from, p_to) (offered, or started when never queued),
-- of one site or all, in any direction, as report_calls has them in SQLite: the Unix second of the
-- attribution (`attributed_s`), its offset and local second on the clock of p_tz, the T and S of the
-- call's queue (the site's queue_settings, else the report's), and `source_label`, the source as the
-- datasets show it: its name for one site, `site/source` over every site. What by_number,
-- outbound, abandoned_calls, data_quality and recording_coverage read.
CREATE OR REPLACE FUNCTION calltrail_period_calls(p_from timestamptz, p_to timestamptz, p_tz text, p_threshold double precision,
                                                  p_short_abandon double precision, p_site text, p_queues text[])
RETURNS TABLE (site text, source text, source_label text, call_id text, direction text, outcome text, queue text, agent text,
               customer_number text, did text, queued_at timestamptz, answered_at timestamptz, ended_at timestamptz, wait_s double precision, talk_s double precision,
               hold_s double precision, wrap_s double precision, recording_ref text, failed_checks text, t double precision,
               s double precision, attributed_s double precision, offset_s integer, local_s bigint)
LANGUAGE sql STABLE AS $$
SELECT c.site, c.source, CASE WHEN p_site IS NULL THEN c.site || '/' || c.source ELSE c.source END,
       c.call_id, c.direction, c.outcome, c.queue, c.agent, c.customer_number, c.did, c.queued_at, c.answered_at, c.ended_at,
       c.wait_s, c.talk_s, c.hold_s, c.wrap_s, c.recording_ref, c.failed_checks,
       coalesce(q.threshold_s, p_threshold), coalesce(q.short_abandon_s, p_short_abandon),
       a.at, a.off, floor(a.at)::bigint + a.off
FROM calls c
LEFT JOIN queue_settings q ON q.site = c.site AND q.queue = c.queue
CROSS JOIN LATERAL (SELECT extract(epoch FROM coalesce(c.queued_at, c.started_at))::double precision AS at) e
CROSS JOIN LATERAL (SELECT e.at, calltrail_offset(floor(e.at), p_tz) AS off) a
WHERE coalesce(c.queued_at, c.started_at) >= p_from AND coalesce(c.queued_at, c.started_at) < p_to
  AND (p_site IS NULL OR c.site = p_site)
  AND (p_queues IS NULL OR c.queue = ANY (p_queues))
$$;
