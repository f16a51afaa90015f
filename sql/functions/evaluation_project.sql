-- A project as the evaluation report shows it: status, period and each
-- success criterion with its values up to the report's end (measured, or
-- derived from mitwirken's data by success_series, suppressed below k);
-- the report adds the on-track verdict (progress.c) to each.
CREATE OR REPLACE FUNCTION evaluation_project(p_id bigint, p_to date,
    p_lang text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', p.id,
	    'title', CASE WHEN p_lang = 'en' THEN coalesce(p.title_en,
		p.title_de) ELSE p.title_de END,
	    'status', p.status, 'starts_on', p.starts_on,
	    'ends_on', p.ends_on,
	    'criteria', (SELECT coalesce(json_agg(json_build_object(
		'id', c.id,
		'name', CASE WHEN p_lang = 'en' THEN coalesce(c.name_en,
		    c.name_de) ELSE c.name_de END,
		'unit', c.unit, 'baseline', c.baseline,
		'baseline_on', c.baseline_on, 'target', c.target,
		'target_on', c.target_on, 'derivation', c.derivation,
		'series', (SELECT coalesce(jsonb_agg(e ORDER BY
		    e->>'measured_on'), '[]') FROM jsonb_array_elements(
		    success_series(c.id)) e
		    WHERE (e->>'measured_on')::date <= p_to))
		ORDER BY c.position, c.id), '[]')
		FROM success_criteria c WHERE c.project_id = p.id))
	FROM projects p WHERE p.id = p_id
$$;
