-- A project in lists: enough to choose it, without its criteria.
CREATE OR REPLACE FUNCTION project_brief(p projects, p_lang text)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', p.id,
	    'title', CASE WHEN p_lang = 'en' THEN coalesce(p.title_en,
		p.title_de) ELSE p.title_de END,
	    'summary', CASE WHEN p_lang = 'en' THEN coalesce(p.summary_en,
		p.summary_de) ELSE p.summary_de END,
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
	    'starts_on', p.starts_on, 'ends_on', p.ends_on,
	    'updated_at', p.updated_at)
$$;
