-- Removes a success criterion with its measurements; the audit log keeps
-- what it was.
CREATE OR REPLACE FUNCTION success_criterion_delete(p_project bigint,
    p_cid bigint, p_by bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	c	success_criteria;
BEGIN
	DELETE FROM success_criteria WHERE id = p_cid AND
	    project_id = p_project RETURNING * INTO c;
	IF c.id IS NULL THEN
		PERFORM raise_client('success_missing', 'no such criterion');
	END IF;
	UPDATE projects SET updated_at = now(), version = version + 1
	    WHERE id = p_project;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_by, 'project.criterion_delete', 'project',
	    p_project, jsonb_build_object('criterion', c.id, 'name',
	    c.name_de, 'baseline', c.baseline, 'target', c.target));
	RETURN jsonb_build_object('deleted', c.id);
END $$;
