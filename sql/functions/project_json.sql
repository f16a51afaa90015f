-- The whole Projektsteckbrief.  Projects are public documents (the
-- strategy asks for transparency), so every viewer sees the same; linked
-- ideas only while published, linked surveys once out of draft.
CREATE OR REPLACE FUNCTION project_json(p_id bigint, p_lang text)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', p.id,
	    'title', CASE WHEN p_lang = 'en' THEN coalesce(p.title_en,
		p.title_de) ELSE p.title_de END,
	    'summary', CASE WHEN p_lang = 'en' THEN coalesce(p.summary_en,
		p.summary_de) ELSE p.summary_de END,
	    'title_de', p.title_de, 'title_en', p.title_en,
	    'summary_de', p.summary_de, 'summary_en', p.summary_en,
	    'status', p.status,
	    'fields', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'slug', f.slug, 'name', CASE WHEN p_lang = 'en' THEN f.name_en
		ELSE f.name_de END) ORDER BY f.position)
		FROM project_fields pf JOIN fields f ON f.id = pf.field_id
		WHERE pf.project_id = p.id), '[]'),
	    'goals', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'slug', g.slug, 'name', CASE WHEN p_lang = 'en' THEN g.name_en
		ELSE g.name_de END) ORDER BY g.position)
		FROM project_goals pg JOIN goals g ON g.id = pg.goal_id
		WHERE pg.project_id = p.id), '[]'),
	    'department', (SELECT jsonb_build_object('slug', d.slug, 'name',
		CASE WHEN p_lang = 'en' THEN d.name_en ELSE d.name_de END)
		FROM departments d WHERE d.id = p.department_id),
	    'partners', p.partners, 'starts_on', p.starts_on,
	    'ends_on', p.ends_on, 'budget_eur', p.budget_eur,
	    'decision', CASE WHEN p.decided_at IS NOT NULL THEN
		jsonb_build_object('reason', p.decision_reason,
		'decided_at', p.decided_at) END,
	    'idea_ids', coalesce((SELECT jsonb_agg(i.id ORDER BY i.id)
		FROM project_ideas pi JOIN ideas i ON i.id = pi.idea_id
		WHERE pi.project_id = p.id AND i.state = 'published'), '[]'),
	    'ideas', coalesce((SELECT jsonb_agg(jsonb_build_object('id', i.id,
		'title', i.title, 'status', i.status) ORDER BY i.id)
		FROM project_ideas pi JOIN ideas i ON i.id = pi.idea_id
		WHERE pi.project_id = p.id AND i.state = 'published'), '[]'),
	    'survey_ids', coalesce((SELECT jsonb_agg(s.id ORDER BY s.id)
		FROM project_surveys ps JOIN surveys s ON s.id = ps.survey_id
		WHERE ps.project_id = p.id AND s.status <> 'draft'), '[]'),
	    'surveys', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'id', s.id, 'title', s.title, 'status', s.status)
		ORDER BY s.id)
		FROM project_surveys ps JOIN surveys s ON s.id = ps.survey_id
		WHERE ps.project_id = p.id AND s.status <> 'draft'), '[]'),
	    'criteria', coalesce((SELECT jsonb_agg(success_criterion_json(c,
		p_lang) ORDER BY c.position, c.id) FROM success_criteria c
		WHERE c.project_id = p.id), '[]'),
	    'history', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'status', h.status, 'note', h.note, 'at', h.changed_at)
		ORDER BY h.id) FROM project_history h
		WHERE h.project_id = p.id), '[]'),
	    'created_at', p.created_at, 'updated_at', p.updated_at,
	    'version', p.version)
	FROM projects p WHERE p.id = p_id
$$;
