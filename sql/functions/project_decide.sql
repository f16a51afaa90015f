-- The board's decision on a proposed project: selected or rejected, with
-- the reason the public reads.  Only once, from proposed (a second
-- decision, or one on a project already in implementation, is a conflict:
-- a changed decision is a new proposal).  Written with the project row
-- locked: the status, who decided and when, a line in project_history,
-- and the audit log (the decision and how many assessments it rested on;
-- never the scores).
CREATE OR REPLACE FUNCTION project_decide(p_member bigint, p_project bigint,
    p_decision text, p_reason text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	st	text;
	p	projects;
BEGIN
	SELECT status INTO st FROM projects WHERE id = p_project FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM raise_client('project_decision_project',
		    'no such project');
	END IF;
	IF st <> 'proposed' THEN
		PERFORM raise_client('project_decision_status',
		    'only a proposed project can be decided');
	END IF;
	UPDATE projects SET status = p_decision, decision_reason = p_reason,
	    decided_at = now(), decided_by = p_member, updated_at = now(),
	    version = version + 1
	    WHERE id = p_project RETURNING * INTO p;
	INSERT INTO project_history (project_id, status, note, changed_by)
	    VALUES (p_project, p_decision, p_reason, p_member);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_member, 'board.decide', 'project', p_project,
	    jsonb_build_object('status', p_decision, 'assessments',
	    (SELECT count(*) FROM project_assessments
	    WHERE project_id = p_project)));
	RETURN jsonb_build_object('id', p.id, 'status', p.status,
	    'decision_reason', p.decision_reason, 'decided_at', p.decided_at,
	    'decided_by', (SELECT pseudonym FROM accounts WHERE id = p_member),
	    'version', p.version);
END $$;
