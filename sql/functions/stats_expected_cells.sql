-- Every cell every stored row counts in, computed afresh from the base
-- tables with the same functions the triggers use (one row per
-- contribution and metric, n = 1): what stats_recount() compares with and
-- stats_rebuild() stores.
CREATE OR REPLACE FUNCTION stats_expected_cells() RETURNS SETOF stats_delta
LANGUAGE sql STABLE AS $$
	SELECT c.* FROM ideas i, stats_cells_idea(i.created_at, i.field_id,
	    i.district_id, i.channel, i.state, i.status, i.author_id) c
	UNION ALL
	SELECT c.* FROM comments m JOIN ideas i ON i.id = m.idea_id,
	    stats_cells_comment(m.created_at, m.state, m.channel, m.author_id,
		i.field_id, i.district_id) c
	UNION ALL
	SELECT c.* FROM supports p JOIN ideas i ON i.id = p.idea_id,
	    stats_cells_support(p.created_at, p.account_id, i.field_id,
		i.district_id) c
	UNION ALL
	SELECT c.* FROM survey_responses r, stats_cells_response(
	    r.submitted_at, r.district_id, r.channel) c
	UNION ALL
	SELECT c.* FROM defect_reports r JOIN defect_categories k
	    ON k.id = r.category_id, stats_cells_defect(r.created_at,
		k.field_id, r.district_id, r.channel, r.reporter_id) c;
$$;
