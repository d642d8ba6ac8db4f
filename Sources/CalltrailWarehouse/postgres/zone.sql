-- calltrail_offset: the offset in seconds of zone p_tz at Unix second t (the SQLite side keeps these in
-- time_zone_offsets; PostgreSQL has the zone database itself). calltrail_offset_label: '-03:00'.
CREATE OR REPLACE FUNCTION calltrail_offset(t double precision, p_tz text)
RETURNS integer LANGUAGE sql STABLE AS $$
    -- The wall clock of p_tz read as if it were UTC, less the instant: one zone conversion a call.
    SELECT (date_part('epoch', to_timestamp(t) AT TIME ZONE p_tz) - t)::integer
$$;

CREATE OR REPLACE FUNCTION calltrail_offset_label(offset_s integer)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN offset_s < 0 THEN '-' ELSE '+' END
           || lpad((abs(offset_s) / 3600)::text, 2, '0') || ':' || lpad((abs(offset_s) % 3600 / 60)::text, 2, '0')
$$;
