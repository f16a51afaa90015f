-- Staff move a report through its workflow (README "Defect reports"):
--   open → acknowledged → in_progress → a closed status
--   (resolved, not_responsible, duplicate, rejected); open and
--   acknowledged may close at once.  Only staff of the department the
--   report is routed to (p_department) or an admin (p_admin) may.  Each
--   change carries a public note, is kept in the history and the audit
--   log, records the time to acknowledge and to close, and, when the
--   reporter asked for mail, puts p_mail (sealed by the server) into the
--   outbox (a signed-in reporter: unless they switched defect_status
--   off; the mailer adds their unsubscribe link).
CREATE OR REPLACE FUNCTION defect_set_status(p_actor bigint,
    p_department smallint, p_admin boolean, p_id bigint, p_status text,
    p_note text, p_duplicate_of bigint, p_forwarded_to text, p_mail bytea,
    p_lang text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	r	defect_reports;
BEGIN
	r := defect_for_staff(p_id, p_department, p_admin);
	IF NOT defect_status_allowed(r.status, p_status) THEN
		PERFORM raise_client('defect_transition', format(
		    'a report that is %s cannot become %s', r.status,
		    p_status));
	END IF;
	IF p_status = 'duplicate' AND (p_duplicate_of IS NULL OR
	    p_duplicate_of = p_id OR NOT EXISTS (SELECT 1 FROM defect_reports
	    WHERE id = p_duplicate_of AND status <> 'duplicate')) THEN
		PERFORM raise_client('defect_duplicate',
		    'not another report');
	END IF;
	UPDATE defect_reports SET status = p_status, updated_at = now(),
	    acknowledged_at = coalesce(acknowledged_at, now()),
	    closed_at = CASE WHEN p_status IN ('resolved', 'not_responsible',
		'duplicate', 'rejected') THEN now() END,
	    confirmed_at = NULL,
	    duplicate_of = CASE WHEN p_status = 'duplicate' THEN
		p_duplicate_of END,
	    forwarded_to = CASE WHEN p_status = 'not_responsible' THEN
		p_forwarded_to END
	    WHERE id = p_id;
	INSERT INTO defect_history (report_id, status, department_id, note,
	    actor_kind, actor_id)
	VALUES (p_id, p_status, r.department_id, p_note, 'staff', p_actor);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_actor, 'defect.status', 'defect', p_id,
	    jsonb_build_object('from', r.status, 'to', p_status,
	    'duplicate_of', p_duplicate_of, 'forwarded_to', p_forwarded_to));
	-- A signed-in reporter decides with their defect_status switch, and
	-- is not told of their own change (staff reporting for themselves).
	IF r.reporter_id IS NULL OR notify_wanted(r.reporter_id, p_actor,
	    'defect_status') THEN
		PERFORM defect_notify(r, p_mail);
	END IF;
	RETURN defect_json(p_id, true, false, p_lang);
END $$;
