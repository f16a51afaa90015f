-- A message in the dialogue.  The reporter writes by status link or own
-- session (pending until a moderator publishes it; the department sees
-- it at once); staff of the report's department (or an admin) answer
-- (published at once, and the reporter is mailed p_mail, unless they
-- switched defect_status off).
CREATE OR REPLACE FUNCTION defect_message_add(p_id bigint, p_sender text,
    p_hash bytea, p_account bigint, p_department smallint,
    p_admin boolean, p_body text, p_mail bytea) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	r	defect_reports;
	mid	bigint;
	st	text;
BEGIN
	IF p_sender = 'staff' THEN
		r := defect_for_staff(p_id, p_department, p_admin);
		st := 'published';
	ELSE
		r := defect_reporter(p_id, p_hash, p_account);
		st := 'pending';
	END IF;
	INSERT INTO defect_messages (report_id, sender, actor_id, body, state)
	VALUES (r.id, p_sender, p_account, p_body, st)
	RETURNING id INTO mid;
	UPDATE defect_reports SET updated_at = now() WHERE id = r.id;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_account, 'defect.message', 'defect', r.id,
	    jsonb_build_object('message', mid, 'sender', p_sender));
	-- A signed-in reporter's defect_status switch covers the department's
	-- messages too (notify_switch in unsubscribe.c): both are news about
	-- their report.  An anonymous reporter asked for mail with the report.
	IF p_sender = 'staff' AND (r.reporter_id IS NULL OR
	    notify_wanted(r.reporter_id, p_account, 'defect_status')) THEN
		PERFORM defect_notify(r, p_mail);
	END IF;
	RETURN jsonb_build_object('id', mid, 'report', r.id,
	    'sender', p_sender, 'body', p_body, 'state', st,
	    'at', now());
END $$;
