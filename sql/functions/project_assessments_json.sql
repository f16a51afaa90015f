-- What a board member sees of a project's assessments: the own sheet
-- first; the others' only after submitting one's own, so every first
-- judgement is independent (as assessments_json for ideas).  "criteria"
-- are the active ones a sheet asks for; "columns" adds the retired ones a
-- visible sheet still scores.  NULL when there is no such project.
CREATE OR REPLACE FUNCTION project_assessments_json(p_project bigint,
    p_member bigint, p_lang text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	WITH mine AS (SELECT * FROM project_assessments
	    WHERE project_id = p_project AND member_id = p_member),
	visible AS (SELECT a.member_id FROM project_assessments a
	    WHERE a.project_id = p_project AND (a.member_id = p_member OR
	    EXISTS (SELECT 1 FROM mine))),
	sheet AS (SELECT a.member_id, jsonb_build_object(
	    'member', (SELECT pseudonym FROM accounts WHERE id = a.member_id),
	    'comment', a.comment, 'submitted_at', a.submitted_at,
	    'weighted_mean', project_assessment_mean(a.project_id,
		a.member_id),
	    'scores', (SELECT jsonb_object_agg(s.criterion, s.score) FROM
		project_assessment_scores s WHERE s.project_id = a.project_id
		AND s.member_id = a.member_id)) AS doc
	    FROM project_assessments a WHERE a.project_id = p_project)
	SELECT jsonb_build_object('project_id', p.id, 'status', p.status,
	    'criteria', (SELECT jsonb_agg(jsonb_build_object('slug', slug,
		'name', CASE WHEN p_lang = 'en' THEN name_en ELSE name_de END,
		'weight', weight) ORDER BY position, slug) FROM criteria
		WHERE active),
	    'columns', (SELECT jsonb_agg(jsonb_build_object('slug', c.slug,
		'name', CASE WHEN p_lang = 'en' THEN c.name_en
		ELSE c.name_de END, 'weight', c.weight, 'active', c.active)
		ORDER BY NOT c.active, c.position, c.slug) FROM criteria c
		WHERE c.active OR EXISTS (SELECT 1
		FROM project_assessment_scores s
		JOIN visible v ON v.member_id = s.member_id
		WHERE s.project_id = p_project AND s.criterion = c.slug)),
	    'mine', (SELECT doc FROM sheet WHERE member_id = p_member),
	    'others_visible', EXISTS (SELECT 1 FROM mine),
	    'others', CASE WHEN EXISTS (SELECT 1 FROM mine) THEN
		coalesce((SELECT jsonb_agg(doc ORDER BY member_id) FROM sheet
		WHERE member_id <> p_member), '[]') END,
	    'weighted_mean', CASE WHEN EXISTS (SELECT 1 FROM mine) THEN
		(SELECT round(avg(project_assessment_mean(p.id, member_id)),
		3) FROM sheet) END,
	    'assessments', (SELECT count(*) FROM sheet))
	FROM projects p WHERE p.id = p_project
$$;
