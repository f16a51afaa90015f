-- A comment with its replies (one level), as a viewer may see them.
CREATE OR REPLACE FUNCTION comment_json(p_id bigint, p_viewer bigint,
    p_moderator boolean) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', c.id, 'parent_id', c.parent_id,
	    'body', c.body, 'author', author_json(c.author_id, c.channel),
	    'state', c.state, 'created_at', c.created_at,
	    'mine', coalesce(c.author_id = p_viewer, false),
	    'moderation', CASE WHEN p_moderator OR c.author_id = p_viewer THEN
		jsonb_build_object('reason', c.reason,
		'explanation', c.reason_text) END,
	    'edited', EXISTS (SELECT 1 FROM idea_revisions r WHERE
		r.kind = 'comment' AND r.target_id = c.id),
	    'replies', CASE WHEN c.parent_id IS NULL THEN
		(SELECT coalesce(jsonb_agg(comment_json(r.id, p_viewer,
		p_moderator) ORDER BY r.id), '[]') FROM comments r
		WHERE r.parent_id = c.id AND (r.state = 'published' OR
		p_moderator OR r.author_id = p_viewer)) END)
	FROM comments c WHERE c.id = p_id
$$;
