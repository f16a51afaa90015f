-- Every duration of every stored defect report, afresh (see
-- stats_expected_cells).
CREATE OR REPLACE FUNCTION stats_expected_spans() RETURNS SETOF stats_span
LANGUAGE sql STABLE AS $$
	SELECT x.* FROM defect_reports r, stats_durations_defect(r.created_at,
	    r.category_id, r.acknowledged_at, r.status, r.closed_at) x;
$$;
