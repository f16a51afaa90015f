-- Every defect report counts, in its category's field (0: none); a
-- reporter with an account takes part through it.
CREATE OR REPLACE FUNCTION stats_cells_defect(p_created timestamptz,
    p_field smallint, p_district smallint, p_channel text, p_reporter bigint)
RETURNS SETOF stats_delta LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT 'defect_reports', stats_month(p_created),
	    coalesce(p_field, 0)::smallint, coalesce(p_district, 0)::smallint,
	    p_channel, p_reporter, 1::bigint;
$$;
