-- An anonymous reporter withdraws their address (and Open311 contact
-- details): no more mail; the report itself stays.
CREATE OR REPLACE FUNCTION defect_email_erase(p_hash bytea) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	rid	bigint;
BEGIN
	UPDATE defect_reports SET email_lookup = NULL, email_ct = NULL,
	    contact_ct = NULL, notify = false, updated_at = now()
	    WHERE status_hash = p_hash RETURNING id INTO rid;
	IF rid IS NULL THEN
		PERFORM raise_client('defect_report', 'no such report');
	END IF;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id)
	VALUES (NULL, 'defect.email_erase', 'defect', rid);
	RETURN jsonb_build_object('id', rid, 'email', false);
END $$;
