-- calltrail_calls: queries/calls.sql for PostgreSQL: every call attributed to [p_from, p_to) of one site or
-- all, one row each, in order of time, with calls.csv's columns: the listing a report's counts drill down to.
-- `recording_file` is the archived file's path in the site's published ledger.
CREATE OR REPLACE FUNCTION calltrail_calls(p_from timestamptz, p_to timestamptz, p_tz text DEFAULT 'UTC', p_interval integer DEFAULT 30,
    p_threshold double precision DEFAULT 20, p_short_abandon double precision DEFAULT 5, p_site text DEFAULT NULL,
    p_queues text[] DEFAULT NULL)
RETURNS TABLE (at text, direction text, outcome text, queue text, agent text, customer_number text, did text, wait_s text,
               talk_s text, in_threshold text, source text, call_id text, recording_file text)
LANGUAGE sql STABLE AS $$
SELECT to_char(to_timestamp(c.local_s) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || calltrail_offset_label(c.offset_s),
       c.direction, c.outcome, c.queue, c.agent, c.customer_number, c.did,
       calltrail_format(c.wait_s, 1), calltrail_format(c.talk_s, 1),
       CASE WHEN c.direction = 'inbound' AND c.queued_at IS NOT NULL
            THEN CASE WHEN c.outcome = 'answered' AND c.wait_s <= c.t THEN 'yes' ELSE 'no' END
       END,
       c.source_label, c.call_id,
       (SELECT r.path FROM recordings r
        WHERE r.site = c.site AND r.source = c.source AND r.call_id = c.call_id AND r.state IN ('found', 'converted'))
FROM calltrail_period_calls(p_from, p_to, p_tz, p_threshold, p_short_abandon, p_site, p_queues) c
ORDER BY c.attributed_s, c.source_label COLLATE "C", c.call_id COLLATE "C"
$$;
