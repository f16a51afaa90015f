-- Decides on several items at once: all of them or none.  The decision is
-- kept with each item's state before it (moderation_decisions), so that
-- moderation_undo() can restore exactly that state.
CREATE OR REPLACE FUNCTION moderate(p_actor bigint, p_kind text, p_ids bigint[],
    p_decision text, p_reason text, p_text text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r	record;
	nxt	text;
	out	jsonb := '[]';
	n	int := 0;
	did	bigint;
	fids	bigint[];
	aid	bigint;
BEGIN
	IF p_reason IS NOT NULL AND NOT EXISTS (SELECT 1 FROM
	    moderation_reasons WHERE slug = p_reason) THEN
		PERFORM raise_client('moderation_reason', 'unknown reason');
	END IF;
	INSERT INTO moderation_decisions (actor_id, kind, decision, reason,
	    explanation) VALUES (p_actor, p_kind, p_decision, p_reason, p_text)
	    RETURNING id INTO did;
	FOR r IN EXECUTE format('SELECT id, state, to_jsonb(t) AS j FROM %I t'
	    ' WHERE id = ANY ($1) ORDER BY id FOR UPDATE', CASE p_kind
	    WHEN 'idea' THEN 'ideas' WHEN 'comment' THEN 'comments'
	    WHEN 'defect' THEN 'defect_reports'
	    WHEN 'defect_message' THEN 'defect_messages' END) USING p_ids LOOP
		n := n + 1;
		nxt := moderation_next(r.state, p_decision);
		IF nxt IS NULL THEN
			PERFORM raise_client('moderation_transition',
			    format('%s %s is %s: cannot %s', p_kind, r.id,
			    r.state, p_decision));
		END IF;
		IF p_kind = 'idea' THEN
			UPDATE ideas SET state = nxt, updated_at = now(),
			    published_at = CASE WHEN nxt = 'published' THEN
				coalesce(published_at, now())
				ELSE published_at END,
			    reason = CASE WHEN nxt = 'published' THEN NULL
				ELSE p_reason END,
			    reason_text = CASE WHEN nxt = 'published' THEN NULL
				ELSE p_text END
			    WHERE id = r.id;
		ELSIF p_kind IN ('defect', 'defect_message') THEN
			-- A report's text and the reporter's messages; the
			-- department works the report whatever the decision.
			EXECUTE format('UPDATE %I SET state = $1,'
			    ' reason = $2, reason_text = $3,'
			    ' moderated_by = $4, moderated_at = now()'
			    ' WHERE id = $5', CASE p_kind WHEN 'defect' THEN
			    'defect_reports' ELSE 'defect_messages' END)
			    USING nxt, CASE WHEN nxt = 'published' THEN NULL
			    ELSE p_reason END, CASE WHEN nxt = 'published'
			    THEN NULL ELSE p_text END, p_actor, r.id;
		ELSE
			UPDATE comments SET state = nxt,
			    published_at = CASE WHEN nxt = 'published' THEN
				coalesce(published_at, now())
				ELSE published_at END,
			    reason = CASE WHEN nxt = 'published' THEN NULL
				ELSE p_reason END,
			    reason_text = CASE WHEN nxt = 'published' THEN NULL
				ELSE p_text END
			    WHERE id = r.id;
		END IF;
		-- A decision reviews the open flags; new ones count afresh.
		WITH u AS (UPDATE flags SET resolved_at = now()
		    WHERE kind = p_kind AND target_id = r.id
		    AND resolved_at IS NULL RETURNING id)
		SELECT coalesce(array_agg(id), '{}') INTO fids FROM u;
		INSERT INTO moderation_decision_items (decision_id, target_id,
		    before, after_state, flag_ids)
		    SELECT did, r.id, coalesce(jsonb_object_agg(e.key,
		    e.value), '{}'), nxt, fids FROM jsonb_each(r.j) e
		    WHERE e.key IN ('state', 'reason', 'reason_text',
		    'published_at', 'moderated_by', 'moderated_at');
		INSERT INTO audit_log (actor_id, action, target_kind,
		    target_id, detail) VALUES (p_actor,
		    'moderation.' || p_decision, p_kind, r.id,
		    jsonb_build_object('from', r.state, 'to', nxt,
		    'reason', p_reason, 'explanation', p_text,
		    'decision_id', did)) RETURNING id INTO aid;
		out := out || jsonb_build_object('id', r.id, 'from', r.state,
		    'to', nxt);
	END LOOP;
	IF n <> (SELECT count(DISTINCT x) FROM unnest(p_ids) x) THEN
		PERFORM raise_client('moderation_target', 'no such item');
	END IF;
	UPDATE moderation_decisions SET audit_id = aid WHERE id = did;
	RETURN jsonb_build_object('decision', p_decision, 'kind', p_kind,
	    'items', out, 'decision_id', did, 'undo_until',
	    now() + moderation_undo_window());
END $$;
