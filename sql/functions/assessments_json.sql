-- What a member sees of an idea's assessments: the others' only after
-- submitting one's own, so the first judgement is independent.
-- "criteria" are the active ones a sheet asks for; "columns" adds the
-- retired ones that a sheet the member may see still scores, so past
-- assessments show what they scored (marked active false).
CREATE OR REPLACE FUNCTION assessments_json(p_idea bigint, p_member bigint,
    p_lang text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	WITH mine AS (SELECT * FROM assessments WHERE idea_id = p_idea AND
	    member_id = p_member),
	visible AS (SELECT a.member_id FROM assessments a
	    WHERE a.idea_id = p_idea AND (a.member_id = p_member OR
	    EXISTS (SELECT 1 FROM mine))),
	sheet AS (SELECT a.member_id, jsonb_build_object(
	    'member', (SELECT pseudonym FROM accounts WHERE id = a.member_id),
	    'comment', a.comment, 'submitted_at', a.submitted_at,
	    'weighted_mean', assessment_mean(a.idea_id, a.member_id),
	    'scores', (SELECT jsonb_object_agg(s.criterion, s.score) FROM
		assessment_scores s WHERE s.idea_id = a.idea_id AND
		s.member_id = a.member_id)) AS doc
	    FROM assessments a WHERE a.idea_id = p_idea)
	SELECT jsonb_build_object('idea_id', p_idea,
	    'criteria', (SELECT jsonb_agg(jsonb_build_object('slug', slug,
		'name', CASE WHEN p_lang = 'en' THEN name_en ELSE name_de END,
		'weight', weight) ORDER BY position, slug) FROM criteria
		WHERE active),
	    'columns', (SELECT jsonb_agg(jsonb_build_object('slug', c.slug,
		'name', CASE WHEN p_lang = 'en' THEN c.name_en
		ELSE c.name_de END, 'weight', c.weight, 'active', c.active)
		ORDER BY NOT c.active, c.position, c.slug) FROM criteria c
		WHERE c.active OR EXISTS (SELECT 1 FROM assessment_scores s
		JOIN visible v ON v.member_id = s.member_id
		WHERE s.idea_id = p_idea AND s.criterion = c.slug)),
	    'mine', (SELECT doc FROM sheet WHERE member_id = p_member),
	    'others_visible', EXISTS (SELECT 1 FROM mine),
	    'others', CASE WHEN EXISTS (SELECT 1 FROM mine) THEN
		coalesce((SELECT jsonb_agg(doc ORDER BY member_id) FROM sheet
		WHERE member_id <> p_member), '[]') END,
	    'weighted_mean', CASE WHEN EXISTS (SELECT 1 FROM mine) THEN
		(SELECT round(avg(assessment_mean(p_idea, member_id)), 3)
		FROM sheet) END,
	    'assessments', (SELECT count(*) FROM sheet))
	WHERE EXISTS (SELECT 1 FROM ideas WHERE id = p_idea AND
	    state = 'published')
$$;
