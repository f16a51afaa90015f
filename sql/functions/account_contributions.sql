-- "Meine Beiträge": what a person contributed, newest first, one list
-- over every kind (ideas, comments, supports, survey responses, defect
-- reports and their supports), each with its moderation state, public
-- status, the moderator's reason where one was given, and where it is.
-- Survey responses are found as the export finds them, by the person's
-- per-survey pseudonyms (p_respondents, see survey_pseudonyms); only which
-- survey and when, never the answers.  Paged by p_limit/p_offset: the
-- list mixes kinds, so a keyset would need the kind in it too.
CREATE OR REPLACE FUNCTION account_contributions(p_account bigint,
    p_respondents text, p_lang text, p_limit int, p_offset int)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	WITH items AS (
		SELECT 'idea' AS kind, i.id, i.id AS idea_id, i.title,
		    NULL::text AS excerpt, i.state, i.status, i.reason,
		    i.reason_text, i.created_at AS at,
		    '/ideen/' || i.id AS path
		FROM ideas i WHERE i.author_id = p_account
		UNION ALL
		SELECT 'comment', c.id, c.idea_id, i.title, left(c.body, 140),
		    c.state, NULL, c.reason, c.reason_text, c.created_at,
		    '/ideen/' || c.idea_id || '#kommentar-' || c.id
		FROM comments c JOIN ideas i ON i.id = c.idea_id
		WHERE c.author_id = p_account
		UNION ALL
		SELECT 'support', s.idea_id, s.idea_id, i.title, NULL,
		    i.state, i.status, NULL, NULL, s.created_at,
		    '/ideen/' || s.idea_id
		FROM supports s JOIN ideas i ON i.id = s.idea_id
		WHERE s.account_id = p_account
		UNION ALL
		SELECT 'survey', r.survey_id, NULL, CASE WHEN p_lang = 'en'
		    THEN coalesce(nullif(s.definition->'title'->>'en', ''),
		    s.title) ELSE s.title END, NULL, NULL,
		    s.status, NULL, NULL, r.submitted_at,
		    '/umfragen/' || r.survey_id
		FROM survey_pseudonyms(p_respondents) p
		JOIN survey_responses r ON r.survey_id = p.survey_id AND
		    r.respondent = p.respondent
		JOIN surveys s ON s.id = r.survey_id
		UNION ALL
		SELECT 'defect', d.id, NULL,
		    CASE WHEN p_lang = 'en' THEN c.name_en ELSE c.name_de END,
		    left(d.description, 140), d.state, d.status, d.reason,
		    d.reason_text, d.created_at, '/maengel/' || d.id
		FROM defect_reports d JOIN defect_categories c ON
		    c.id = d.category_id
		WHERE d.reporter_id = p_account
		UNION ALL
		SELECT 'defect_support', d.id, NULL,
		    CASE WHEN p_lang = 'en' THEN c.name_en ELSE c.name_de END,
		    left(d.description, 140), d.state, d.status, NULL, NULL,
		    s.created_at, '/maengel/' || d.id
		FROM defect_supports s JOIN defect_reports d ON
		    d.id = s.report_id
		JOIN defect_categories c ON c.id = d.category_id
		WHERE s.account_id = p_account
	), page AS (
		SELECT * FROM items ORDER BY at DESC, kind, id DESC
		LIMIT p_limit + 1 OFFSET p_offset
	)
	SELECT jsonb_build_object(
	    'items', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'kind', p.kind, 'id', p.id, 'idea_id', p.idea_id,
		'title', p.title, 'excerpt', p.excerpt, 'state', p.state,
		'status', p.status, 'reason', p.reason,
		'reason_label', (SELECT CASE WHEN p_lang = 'en' THEN m.label_en
		    ELSE m.label_de END FROM moderation_reasons m
		    WHERE m.slug = p.reason),
		'explanation', p.reason_text, 'at', p.at, 'path', p.path)
		ORDER BY p.at DESC, p.kind, p.id DESC)
		FROM (SELECT * FROM page ORDER BY at DESC, kind, id DESC
		    LIMIT p_limit) p), '[]'),
	    'total', (SELECT count(*) FROM items),
	    'next_offset', CASE WHEN (SELECT count(*) FROM page) > p_limit
		THEN p_offset + p_limit END)
$$;
