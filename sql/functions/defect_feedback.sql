-- The reporter answers a closed report within p_days of its closing:
-- "confirm" that a resolved defect is fixed, or "reopen" a resolved,
-- rejected or not-responsible one (it goes back to open, to the same
-- department, with the reporter's note in the history).
CREATE OR REPLACE FUNCTION defect_feedback(p_id bigint, p_hash bytea,
    p_account bigint, p_action text, p_note text, p_days int,
    p_lang text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	r	defect_reports;
BEGIN
	r := defect_reporter(p_id, p_hash, p_account);
	IF r.closed_at IS NULL OR r.status = 'duplicate' OR
	    (p_action = 'confirm' AND r.status <> 'resolved') OR
	    (p_action = 'confirm' AND r.confirmed_at IS NOT NULL) THEN
		PERFORM raise_client('defect_feedback_state', format(
		    'a report that is %s cannot be %s', r.status,
		    CASE p_action WHEN 'confirm' THEN 'confirmed'
		    ELSE 'reopened' END));
	END IF;
	IF r.closed_at < now() - make_interval(days => p_days) THEN
		PERFORM raise_client('defect_feedback_window', format(
		    'the %s days to answer after closing have passed',
		    p_days));
	END IF;
	IF p_action = 'confirm' THEN
		UPDATE defect_reports SET confirmed_at = now(),
		    updated_at = now() WHERE id = r.id;
	ELSE
		UPDATE defect_reports SET status = 'open', closed_at = NULL,
		    confirmed_at = NULL, duplicate_of = NULL,
		    forwarded_to = NULL, reopened_count = reopened_count + 1,
		    updated_at = now() WHERE id = r.id;
		INSERT INTO defect_history (report_id, status, department_id,
		    note, actor_kind, actor_id)
		VALUES (r.id, 'open', r.department_id, coalesce(p_note, ''),
		    'reporter', p_account);
	END IF;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_account, 'defect.' || p_action, 'defect', r.id,
	    jsonb_build_object('from', r.status));
	RETURN defect_json(r.id, false, true, p_lang);
END $$;
