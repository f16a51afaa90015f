-- Takes a decision back within moderation_undo_window(): each item gets
-- the moderation columns it had before (state, reason, explanation,
-- publication time; for defect texts who moderated and when) and the
-- flags the decision resolved are open again.  The rows are written by
-- UPDATE as a decision writes them, so the statistics triggers follow.
-- Refused when the window has passed, when it was undone already, or when
-- anyone decided on one of its items since (the items' later audit
-- entries, or a state that is no longer the decision's).
CREATE OR REPLACE FUNCTION moderation_undo(p_actor bigint, p_decision bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	d	moderation_decisions;
	it	record;
	cur	text;
	tbl	text;
	out	jsonb := '[]';
BEGIN
	SELECT * INTO d FROM moderation_decisions WHERE id = p_decision
	    FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM raise_client('moderation_decision', 'no such decision');
	END IF;
	IF d.undone_at IS NOT NULL THEN
		PERFORM raise_client('moderation_undone',
		    'this decision was undone already');
	END IF;
	IF d.decided_at < now() - moderation_undo_window() THEN
		PERFORM raise_client('moderation_undo_expired',
		    'the time to undo this decision has passed');
	END IF;
	tbl := CASE d.kind WHEN 'idea' THEN 'ideas' WHEN 'comment' THEN
	    'comments' WHEN 'defect' THEN 'defect_reports'
	    ELSE 'defect_messages' END;
	FOR it IN SELECT * FROM moderation_decision_items
	    WHERE decision_id = d.id ORDER BY target_id LOOP
		EXECUTE format('SELECT state FROM %I WHERE id = $1 FOR UPDATE',
		    tbl) INTO cur USING it.target_id;
		IF cur IS DISTINCT FROM it.after_state OR EXISTS (SELECT 1
		    FROM audit_log l WHERE l.target_kind = d.kind
		    AND l.target_id = it.target_id AND l.id > d.audit_id
		    AND l.action LIKE 'moderation.%'
		    AND l.action <> 'moderation.edit') THEN
			PERFORM raise_client('moderation_undo_conflict',
			    format('%s %s was decided on since', d.kind,
			    it.target_id));
		END IF;
		IF d.kind IN ('idea', 'comment') THEN
			EXECUTE format('UPDATE %I SET state = $1, reason = $2,'
			    ' reason_text = $3, published_at = $4'
			    ' WHERE id = $5', tbl)
			    USING it.before->>'state', it.before->>'reason',
			    it.before->>'reason_text',
			    (it.before->>'published_at')::timestamptz,
			    it.target_id;
		ELSE
			EXECUTE format('UPDATE %I SET state = $1, reason = $2,'
			    ' reason_text = $3, moderated_by = $4,'
			    ' moderated_at = $5 WHERE id = $6', tbl)
			    USING it.before->>'state', it.before->>'reason',
			    it.before->>'reason_text',
			    (it.before->>'moderated_by')::bigint,
			    (it.before->>'moderated_at')::timestamptz,
			    it.target_id;
		END IF;
		IF d.kind = 'idea' THEN
			UPDATE ideas SET updated_at = now()
			    WHERE id = it.target_id;
		END IF;
		UPDATE flags SET resolved_at = NULL
		    WHERE id = ANY (it.flag_ids);
		INSERT INTO audit_log (actor_id, action, target_kind,
		    target_id, detail) VALUES (p_actor, 'moderation.undo',
		    d.kind, it.target_id, jsonb_build_object('decision_id',
		    d.id, 'undone', d.decision, 'from', it.after_state,
		    'to', it.before->>'state'));
		out := out || jsonb_build_object('id', it.target_id,
		    'from', it.after_state, 'to', it.before->>'state');
	END LOOP;
	UPDATE moderation_decisions SET undone_at = now(), undone_by = p_actor
	    WHERE id = d.id;
	RETURN jsonb_build_object('decision_id', d.id, 'kind', d.kind,
	    'undone', d.decision, 'items', out);
END $$;
