-- Removes a measurement entered by mistake; the audit log keeps it.
CREATE OR REPLACE FUNCTION project_measurement_delete(p_project bigint,
    p_cid bigint, p_mid bigint, p_by bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	m	project_measurements;
BEGIN
	DELETE FROM project_measurements pm USING success_criteria c
	    WHERE pm.id = p_mid AND pm.criterion_id = p_cid AND
	    c.id = p_cid AND c.project_id = p_project
	    RETURNING pm.* INTO m;
	IF m.id IS NULL THEN
		PERFORM raise_client('measurement_missing',
		    'no such measurement');
	END IF;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_by, 'project.measurement_delete', 'project',
	    p_project, jsonb_build_object('criterion', p_cid,
	    'measurement', m.id, 'value', m.value,
	    'measured_on', m.measured_on));
	RETURN jsonb_build_object('deleted', m.id);
END $$;
