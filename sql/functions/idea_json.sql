-- The whole idea as a viewer may see it, with one page of its comments
-- after comment p_comments_after (0: the first page).  Moderation details
-- go to the author and to moderators; nobody ever sees an e-mail address
-- here.
CREATE OR REPLACE FUNCTION idea_json(p_id bigint, p_viewer bigint,
    p_moderator boolean, p_lang text, p_comments_after bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'id', i.id, 'title', i.title, 'description', i.description,
	    'field', jsonb_build_object('slug', f.slug, 'name',
		CASE WHEN p_lang = 'en' THEN f.name_en ELSE f.name_de END),
	    'goals', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'slug', g.slug, 'name',
		CASE WHEN p_lang = 'en' THEN g.name_en ELSE g.name_de END)
		ORDER BY g.position) FROM idea_goals ig
		JOIN goals g ON g.id = ig.goal_id WHERE ig.idea_id = i.id),
		'[]'),
	    'district', (SELECT jsonb_build_object('slug', d.slug, 'name',
		d.name) FROM districts d WHERE d.id = i.district_id),
	    'location', CASE WHEN i.lat IS NOT NULL THEN
		jsonb_build_object('lat', i.lat, 'lon', i.lon) END,
	    'author', author_json(i.author_id, i.channel),
	    'mine', coalesce(i.author_id = p_viewer OR i.entered_by = p_viewer,
		false),
	    'state', i.state,
	    'moderation', CASE WHEN p_moderator OR i.author_id = p_viewer OR
		i.entered_by = p_viewer THEN jsonb_build_object(
		'reason', i.reason, 'reason_label', (SELECT CASE WHEN
		    p_lang = 'en' THEN r.label_en ELSE r.label_de END FROM
		    moderation_reasons r WHERE r.slug = i.reason),
		'explanation', i.reason_text,
		'open_flags', CASE WHEN p_moderator THEN (SELECT count(*)
		    FROM flags fl WHERE fl.kind = 'idea' AND
		    fl.target_id = i.id AND fl.resolved_at IS NULL) END,
		-- What the text was before each moderator's edit, and why.
		'revisions', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		    'title', r.title, 'description', r.body, 'note', r.note,
		    'edited_at', r.edited_at) ORDER BY r.id), '[]')
		    FROM idea_revisions r WHERE r.kind = 'idea' AND
		    r.target_id = i.id)) END,
	    -- Everyone may know that moderation changed the text.
	    'edited', EXISTS (SELECT 1 FROM idea_revisions r WHERE
		r.kind = 'idea' AND r.target_id = i.id),
	    'status', i.status, 'duplicate_of', i.duplicate_of,
	    'status_history', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		'status', h.status, 'justification', h.justification,
		'duplicate_of', h.duplicate_of, 'at', h.changed_at)
		ORDER BY h.id), '[]') FROM idea_status_history h
		WHERE h.idea_id = i.id),
	    -- The projects that take the idea up (the registry is public).
	    'projects', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		'id', p.id, 'title', CASE WHEN p_lang = 'en' THEN
		coalesce(p.title_en, p.title_de) ELSE p.title_de END,
		'status', p.status) ORDER BY p.id), '[]')
		FROM project_ideas pi JOIN projects p ON p.id = pi.project_id
		WHERE pi.idea_id = i.id),
	    'supports', i.support_count,
	    'supported', p_viewer IS NOT NULL AND EXISTS (SELECT 1 FROM
		supports s WHERE s.idea_id = i.id AND s.account_id = p_viewer),
	    'flagged', p_viewer IS NOT NULL AND EXISTS (SELECT 1 FROM flags
		fl WHERE fl.kind = 'idea' AND fl.target_id = i.id AND
		fl.account_id = p_viewer),
	    'created_at', i.created_at, 'published_at', i.published_at) ||
	    comment_page(i.id, p_viewer, p_moderator, p_comments_after, 50)
	FROM ideas i JOIN fields f ON f.id = i.field_id
	WHERE i.id = p_id AND idea_visible(i, p_viewer, p_moderator)
$$;

-- The idea with its first page of comments.
CREATE OR REPLACE FUNCTION idea_json(p_id bigint, p_viewer bigint,
    p_moderator boolean, p_lang text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT idea_json(p_id, p_viewer, p_moderator, p_lang, 0)
$$;
