-- Who may see an idea at all: the one rule for idea_json and its pages.
CREATE OR REPLACE FUNCTION idea_visible(i ideas, p_viewer bigint,
    p_moderator boolean) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT i.state = 'published' OR p_moderator OR
	    (p_viewer IS NOT NULL AND (i.author_id = p_viewer OR
	    i.entered_by = p_viewer))
$$;
