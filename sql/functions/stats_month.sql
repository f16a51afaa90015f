-- The statistics' month of a moment: its calendar month in Braunschweig.
CREATE OR REPLACE FUNCTION stats_month(p_at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT date_trunc('month', p_at AT TIME ZONE 'Europe/Berlin')::date;
$$;
