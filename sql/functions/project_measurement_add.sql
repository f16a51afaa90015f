-- A measurement of a manual criterion (one per date: a second on the
-- same date is a 409, the measurement_once constraint).  Derived
-- criteria are computed from mitwirken's own data and take none.
CREATE OR REPLACE FUNCTION project_measurement_add(p_project bigint,
    p_cid bigint, p_by bigint, p_value numeric, p_on date, p_note text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	d	text;
	mid	bigint;
BEGIN
	SELECT derivation INTO d FROM success_criteria
	    WHERE id = p_cid AND project_id = p_project;
	IF d IS NULL THEN
		PERFORM raise_client('success_missing', 'no such criterion');
	END IF;
	IF d <> 'manual' THEN
		PERFORM raise_client('success_derived',
		    'derived criteria take no measurements');
	END IF;
	INSERT INTO project_measurements (criterion_id, value, measured_on,
	    note, entered_by)
	VALUES (p_cid, p_value, p_on, coalesce(p_note, ''), p_by)
	RETURNING id INTO mid;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_by, 'project.measurement_add', 'project',
	    p_project, jsonb_build_object('criterion', p_cid,
	    'measurement', mid, 'value', p_value, 'measured_on', p_on));
	RETURN jsonb_build_object('id', mid, 'criterion_id', p_cid,
	    'value', p_value, 'measured_on', p_on,
	    'note', coalesce(p_note, ''));
END $$;
