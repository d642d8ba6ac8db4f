-- calltrail_format: a number as SQLite's printf('%.Nf', x) writes it (fixed decimals, rounded half away
-- from zero on its decimal digits), so the warehouse's figures equal the SQLite report's text.
CREATE OR REPLACE FUNCTION calltrail_format(x double precision, decimals integer)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT round(x::numeric, decimals)::text
$$;
