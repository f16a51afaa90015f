-- An age band as the key of the participants' 'g' scope; 0: not given.
CREATE OR REPLACE FUNCTION stats_key_age(p_band text) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT (CASE p_band WHEN 'under-18' THEN 1 WHEN '18-29' THEN 2
	    WHEN '30-44' THEN 3 WHEN '45-64' THEN 4 WHEN '65-79' THEN 5
	    WHEN '80-plus' THEN 6 ELSE 0 END)::smallint;
$$;
