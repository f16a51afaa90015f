-- The project registry's part of account_export: what a person did as a
-- planner (projects created, measurements entered) and as a board member
-- (assessments with their scores, selection decisions with the reason).
CREATE OR REPLACE FUNCTION account_export_projects(p_account bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'projects_created', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'id', p.id, 'title', p.title_de, 'created_at', p.created_at)
		ORDER BY p.id) FROM projects p WHERE p.created_by = p_account),
		'[]'),
	    'project_measurements', coalesce((SELECT jsonb_agg(
		jsonb_build_object('criterion_id', m.criterion_id,
		'value', m.value, 'measured_on', m.measured_on, 'note', m.note,
		'entered_at', m.entered_at) ORDER BY m.id)
		FROM project_measurements m WHERE m.entered_by = p_account),
		'[]'),
	    'project_assessments', coalesce((SELECT jsonb_agg(
		jsonb_build_object('project_id', x.project_id,
		'comment', x.comment, 'submitted_at', x.submitted_at,
		'scores', (SELECT jsonb_object_agg(sc.criterion, sc.score)
		    FROM project_assessment_scores sc
		    WHERE sc.project_id = x.project_id AND
		    sc.member_id = x.member_id)) ORDER BY x.project_id)
		FROM project_assessments x WHERE x.member_id = p_account),
		'[]'),
	    'project_decisions', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'project_id', p.id, 'decision', CASE WHEN p.status = 'rejected'
		THEN 'rejected' ELSE 'selected' END,
		'reason', p.decision_reason, 'decided_at', p.decided_at)
		ORDER BY p.id) FROM projects p WHERE p.decided_by = p_account),
		'[]'))
$$;
