-- A survey as the API shows it: with its definition when p_full, and for
-- planners (p_planner) also the number of responses.  NULL for a draft
-- when the viewer is no planner: drafts are invisible to everyone else.
CREATE OR REPLACE FUNCTION survey_json(p_id bigint, p_lang text,
    p_planner boolean, p_full boolean) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'id', s.id, 'title', s.title,
	    'title_en', coalesce(nullif(s.definition->'title'->>'en', ''),
		s.title),
	    'status', s.status, 'access', s.access,
	    'opens_at', s.opens_at, 'closes_at', s.closes_at,
	    'accepting', s.status = 'open' AND
		(s.opens_at IS NULL OR s.opens_at <= now()) AND
		(s.closes_at IS NULL OR s.closes_at > now()),
	    'results_public', s.results_public,
	    'crosstab', CASE WHEN s.crosstab_a IS NOT NULL THEN
		jsonb_build_object('a', s.crosstab_a, 'b', s.crosstab_b) END,
	    'fields', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'slug', f.slug, 'name',
		CASE WHEN p_lang = 'en' THEN f.name_en ELSE f.name_de END)
		ORDER BY f.id) FROM survey_fields sf
		JOIN fields f ON f.id = sf.field_id
		WHERE sf.survey_id = s.id), '[]'),
	    'districts', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'slug', d.slug, 'name', d.name) ORDER BY d.position)
		FROM survey_districts sd JOIN districts d ON d.id = sd.district_id
		WHERE sd.survey_id = s.id), '[]'),
	    'goals', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'slug', g.slug, 'name',
		CASE WHEN p_lang = 'en' THEN g.name_en ELSE g.name_de END)
		ORDER BY g.id) FROM survey_goals sg
		JOIN goals g ON g.id = sg.goal_id
		WHERE sg.survey_id = s.id), '[]'),
	    'version', s.version,
	    'created_at', s.created_at, 'updated_at', s.updated_at) ||
	    CASE WHEN p_full THEN jsonb_build_object('definition', s.definition)
		ELSE '{}'::jsonb END ||
	    CASE WHEN p_planner THEN jsonb_build_object('responses',
		coalesce((SELECT sum(t.n) FROM survey_tallies t
		WHERE t.survey_id = s.id AND t.kind = 'n'), 0))
		ELSE '{}'::jsonb END
	FROM surveys s
	WHERE s.id = p_id AND (p_planner OR s.status <> 'draft')
$$;
