-- calltrail_offered: the inbound calls offered in [p_from, p_to) (queued in the period), of one site or
-- all, with their T and S (the site's queue_settings, else the report's) and the Unix second of their
-- offer on the clock of p_tz (`local_s`, as report_calls has it in SQLite). What the per-day, per-hour and
-- wait datasets read, and the summary and intervals.
CREATE OR REPLACE FUNCTION calltrail_offered(p_from timestamptz, p_to timestamptz, p_tz text, p_threshold double precision,
                                             p_short_abandon double precision, p_site text, p_queues text[])
RETURNS TABLE (queue text, did text, transfers integer, outcome text, wait_s double precision, talk_s double precision, hold_s double precision, handle_s double precision, t double precision, s double precision,
               queued_s bigint, local_s bigint)
LANGUAGE sql STABLE AS $$
SELECT c.queue, c.did, c.transfers, c.outcome, c.wait_s, c.talk_s, c.hold_s, c.talk_s + c.hold_s + c.wrap_s,
       coalesce(q.threshold_s, p_threshold), coalesce(q.short_abandon_s, p_short_abandon),
       floor(extract(epoch FROM c.queued_at))::bigint,
       floor(extract(epoch FROM c.queued_at))::bigint + calltrail_offset(floor(extract(epoch FROM c.queued_at)), p_tz)
FROM calls c LEFT JOIN queue_settings q ON q.site = c.site AND q.queue = c.queue
WHERE c.direction = 'inbound' AND c.queued_at IS NOT NULL
  AND c.queued_at >= p_from AND c.queued_at < p_to
  AND (p_site IS NULL OR c.site = p_site)
  AND (p_queues IS NULL OR c.queue = ANY (p_queues))
$$;
