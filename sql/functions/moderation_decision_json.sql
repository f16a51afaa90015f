-- A decision as the desk shows it: what was decided on which items, by
-- whom and when, and whether it may still be undone (the window; a later
-- decision on an item is found only when undoing, see moderation_undo()).
CREATE OR REPLACE FUNCTION moderation_decision_json(p_id bigint)
RETURNS json LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', d.id, 'kind', d.kind,
	    'decision', d.decision, 'reason', d.reason,
	    'explanation', d.explanation, 'decided_at', d.decided_at,
	    'actor', a.pseudonym, 'undone', d.undone_at IS NOT NULL,
	    'undoable', d.undone_at IS NULL AND
		d.decided_at > now() - moderation_undo_window(),
	    'undo_until', to_char((d.decided_at + moderation_undo_window())
		AT TIME ZONE 'Europe/Berlin', 'HH24:MI'),
	    'count', (SELECT count(*) FROM moderation_decision_items it
		WHERE it.decision_id = d.id),
	    'items', (SELECT coalesce(json_agg(json_build_object(
		'id', it.target_id, 'from', it.before->>'state',
		'to', it.after_state, 'title', CASE d.kind
		WHEN 'idea' THEN (SELECT title FROM ideas
		    WHERE id = it.target_id)
		WHEN 'comment' THEN (SELECT left(split_part(body, E'\n', 1),
		    80) FROM comments WHERE id = it.target_id)
		WHEN 'defect' THEN (SELECT left(description, 80)
		    FROM defect_reports WHERE id = it.target_id)
		ELSE (SELECT left(body, 80) FROM defect_messages
		    WHERE id = it.target_id) END)
		ORDER BY it.target_id), '[]'::json)
		FROM moderation_decision_items it
		WHERE it.decision_id = d.id))
	FROM moderation_decisions d LEFT JOIN accounts a ON a.id = d.actor_id
	WHERE d.id = p_id
$$;
