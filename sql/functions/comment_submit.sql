-- A new comment or reply.  Returns {"comment": {...}} or {"retry_after":
-- seconds} when a rate limit is reached (the count of the attempt is kept).
CREATE OR REPLACE FUNCTION comment_submit(p_author bigint, p_entered_by bigint,
    p_channel text, p_idea bigint, p_parent bigint, p_body text,
    p_keys text[], p_limits int[], p_window int)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	wait	int;
	nid	bigint;
	st	text;
BEGIN
	-- Comments go only under published ideas.
	PERFORM 1 FROM ideas WHERE id = p_idea AND state = 'published';
	IF NOT FOUND THEN
		PERFORM raise_client('comment_idea', 'no such idea');
	END IF;
	IF p_parent IS NOT NULL THEN
		PERFORM 1 FROM comments WHERE id = p_parent AND
		    idea_id = p_idea AND parent_id IS NULL AND
		    state = 'published';
		IF NOT FOUND THEN
			PERFORM raise_client('comment_parent',
			    'not a comment of this idea that takes replies');
		END IF;
	END IF;
	wait := submission_allowed(p_keys, p_limits, p_window);
	IF wait > 0 THEN
		RETURN jsonb_build_object('retry_after', wait);
	END IF;
	st := CASE setting('moderation_mode') WHEN 'post' THEN 'published'
	    ELSE 'pending' END;
	INSERT INTO comments (idea_id, parent_id, author_id, entered_by,
	    channel, body, state, published_at)
	VALUES (p_idea, p_parent, p_author, p_entered_by, p_channel, p_body,
	    st, CASE WHEN st = 'published' THEN now() END)
	RETURNING id INTO nid;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (coalesce(p_entered_by, p_author),
	    'comment.submit', 'comment', nid, jsonb_build_object('state', st,
	    'idea', p_idea, 'channel', p_channel));
	RETURN jsonb_build_object('comment', comment_json(nid,
	    coalesce(p_entered_by, p_author), false));
END $$;
