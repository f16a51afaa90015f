-- A comment counts once published, in its idea's field and district.
CREATE OR REPLACE FUNCTION stats_cells_comment(p_created timestamptz,
    p_state text, p_channel text, p_author bigint, p_field smallint,
    p_district smallint)
RETURNS SETOF stats_delta LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT 'comments', stats_month(p_created), p_field,
	    coalesce(p_district, 0)::smallint, p_channel, p_author, 1::bigint
	WHERE p_state = 'published';
$$;
