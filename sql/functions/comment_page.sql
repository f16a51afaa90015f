-- One page of an idea's comments: {comments, comments_next, comments_total}.
-- comments_next is the id to ask for the next page after, or null on the
-- last page; comments_total counts every comment the viewer may see,
-- replies included.
CREATE OR REPLACE FUNCTION comment_page(p_idea bigint, p_viewer bigint,
    p_moderator boolean, p_after bigint, p_limit int) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	WITH page AS (
		SELECT c.id FROM comments c
		WHERE c.idea_id = p_idea AND c.parent_id IS NULL AND
		    c.id > p_after AND comment_visible(c, p_viewer, p_moderator)
		ORDER BY c.id LIMIT p_limit + 1
	), shown AS (
		SELECT id FROM page ORDER BY id LIMIT p_limit
	)
	SELECT jsonb_build_object(
	    'comments', coalesce((SELECT jsonb_agg(comment_json(s.id,
		p_viewer, p_moderator) ORDER BY s.id) FROM shown s), '[]'),
	    'comments_next', CASE WHEN (SELECT count(*) FROM page) > p_limit
		THEN (SELECT max(id) FROM shown) END,
	    'comments_total', (SELECT count(*) FROM comments c
		LEFT JOIN comments p ON p.id = c.parent_id
		WHERE c.idea_id = p_idea AND
		    comment_visible(c, p_viewer, p_moderator) AND
		    (p.id IS NULL OR comment_visible(p, p_viewer,
		    p_moderator))))
$$;
