-- Who may see a comment (within an idea they may see).
CREATE OR REPLACE FUNCTION comment_visible(c comments, p_viewer bigint,
    p_moderator boolean) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT c.state = 'published' OR p_moderator OR
	    coalesce(c.author_id = p_viewer, false)
$$;
