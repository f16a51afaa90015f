-- A new public status with its justification, kept in the history.
CREATE OR REPLACE FUNCTION idea_set_status(p_actor bigint, p_id bigint,
    p_status text, p_justification text, p_duplicate_of bigint, p_lang text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r	ideas%ROWTYPE;
BEGIN
	SELECT * INTO r FROM ideas WHERE id = p_id FOR UPDATE;
	-- An idea the actor may not see answers as one that does not exist,
	-- so staff and planners cannot probe for pending ideas.
	-- (idea_visible is NULL, not false, for an idea without entered_by.)
	IF NOT FOUND OR idea_visible(r, p_actor, EXISTS (SELECT 1
	    FROM account_roles WHERE account_id = p_actor AND
	    role = 'moderator')) IS NOT TRUE THEN
		PERFORM raise_client('status_idea', 'no such idea');
	END IF;
	IF r.state <> 'published' THEN
		PERFORM raise_client('status_unpublished',
		    'only published ideas have a public status');
	END IF;
	IF NOT status_allowed(r.status, p_status) THEN
		PERFORM raise_client('status_transition', format(
		    'cannot go from %s to %s', r.status, p_status));
	END IF;
	IF p_status = 'duplicate' AND NOT EXISTS (SELECT 1 FROM ideas WHERE
	    id = p_duplicate_of AND id <> p_id AND state = 'published') THEN
		PERFORM raise_client('status_duplicate',
		    'not another published idea');
	END IF;
	UPDATE ideas SET status = p_status, updated_at = now(),
	    duplicate_of = CASE WHEN p_status = 'duplicate' THEN
		p_duplicate_of END WHERE id = p_id;
	INSERT INTO idea_status_history (idea_id, status, justification,
	    duplicate_of, changed_by) VALUES (p_id, p_status, p_justification,
	    CASE WHEN p_status = 'duplicate' THEN p_duplicate_of END, p_actor);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_actor, 'idea.status', 'idea', p_id,
	    jsonb_build_object('from', r.status, 'to', p_status,
	    'justification', p_justification, 'duplicate_of', p_duplicate_of));
	RETURN idea_json(p_id, p_actor, true, p_lang);
END $$;
