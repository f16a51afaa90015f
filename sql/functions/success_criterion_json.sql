-- A success criterion with its values over time (success_series).  The
-- verdict (on track, behind, ...) is the server's (src/lib/progress.c).
CREATE OR REPLACE FUNCTION success_criterion_json(c success_criteria,
    p_lang text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', c.id, 'project_id', c.project_id,
	    'name', CASE WHEN p_lang = 'en' THEN coalesce(c.name_en, c.name_de)
		ELSE c.name_de END,
	    'name_de', c.name_de, 'name_en', c.name_en, 'unit', c.unit,
	    'baseline', c.baseline, 'baseline_on', c.baseline_on,
	    'target', c.target, 'target_on', c.target_on, 'source', c.source,
	    'derivation', c.derivation, 'survey_id', c.survey_id,
	    'question', c.question,
	    'category', (SELECT d.code FROM defect_categories d
		WHERE d.id = c.category_id),
	    'position', c.position,
	    'series', success_series(c.id))
$$;
