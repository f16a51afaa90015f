-- A channel as the key of the participants' 'c' scope (stats_people).
CREATE OR REPLACE FUNCTION stats_key_channel(p_channel text) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT (CASE p_channel WHEN 'online' THEN 1 WHEN 'paper' THEN 2
	    WHEN 'phone' THEN 3 WHEN 'in_person' THEN 4 WHEN 'open311' THEN 5
	    END)::smallint;
$$;
