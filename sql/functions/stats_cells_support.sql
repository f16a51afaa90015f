-- A support counts in its idea's field and district; supports are given
-- online only.
CREATE OR REPLACE FUNCTION stats_cells_support(p_created timestamptz,
    p_account bigint, p_field smallint, p_district smallint)
RETURNS SETOF stats_delta LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT 'supports', stats_month(p_created), p_field,
	    coalesce(p_district, 0)::smallint, 'online', p_account, 1::bigint;
$$;
