-- The planners' part of the lifecycle: a selected project goes into
-- implementation, then is completed.  Selecting and rejecting are the
-- board's decision (project_decide), never a planner's.
CREATE OR REPLACE FUNCTION project_set_status(p_id bigint, p_by bigint,
    p_status text, p_note text, p_version int, p_lang text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	cur	text;
	v	int;
BEGIN
	SELECT status, version INTO cur, v FROM projects WHERE id = p_id
	    FOR UPDATE;
	IF cur IS NULL THEN
		PERFORM raise_client('project_missing', 'no such project');
	END IF;
	IF p_version IS NOT NULL AND p_version <> v THEN
		PERFORM raise_client('project_version', 'changed meanwhile');
	END IF;
	IF NOT ((cur, p_status) IN (('selected', 'in_implementation'),
	    ('in_implementation', 'completed'))) THEN
		PERFORM raise_client('project_transition',
		    'not from ' || cur || ' to ' || p_status);
	END IF;
	UPDATE projects SET status = p_status, updated_at = now(),
	    version = version + 1 WHERE id = p_id;
	INSERT INTO project_history (project_id, status, note, changed_by)
	    VALUES (p_id, p_status, p_note, p_by);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_by, 'project.status', 'project', p_id,
	    jsonb_build_object('from', cur, 'to', p_status, 'note', p_note));
	RETURN project_json(p_id, p_lang);
END $$;
