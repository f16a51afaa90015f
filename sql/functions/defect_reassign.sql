-- Staff of the department a report is routed to (or an admin) hand it to
-- another department, with a public note; closed reports stay where they
-- were closed.
CREATE OR REPLACE FUNCTION defect_reassign(p_actor bigint,
    p_department smallint, p_admin boolean, p_id bigint, p_to text,
    p_note text, p_lang text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	r	defect_reports;
	nd	smallint;
BEGIN
	r := defect_for_staff(p_id, p_department, p_admin);
	SELECT id INTO nd FROM departments WHERE slug = p_to;
	IF nd IS NULL THEN
		PERFORM raise_client('defect_target_department',
		    'unknown department');
	END IF;
	IF nd = r.department_id OR r.closed_at IS NOT NULL THEN
		PERFORM raise_client('defect_reassign', CASE WHEN
		    r.closed_at IS NOT NULL THEN 'a closed report is not '
		    'reassigned' ELSE 'the report is already there' END);
	END IF;
	UPDATE defect_reports SET department_id = nd, updated_at = now()
	    WHERE id = p_id;
	INSERT INTO defect_history (report_id, status, department_id, note,
	    actor_kind, actor_id)
	VALUES (p_id, r.status, nd, p_note, 'staff', p_actor);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_actor, 'defect.reassign', 'defect', p_id,
	    jsonb_build_object('from', r.department_id, 'to', nd));
	RETURN defect_json(p_id, true, false, p_lang);
END $$;
