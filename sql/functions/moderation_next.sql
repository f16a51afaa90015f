-- Which moderation decision leads from which state to which.  "keep"
-- leaves a published item as it is and resolves its open flags: the
-- desk's answer to flags below the auto-hide threshold.
CREATE OR REPLACE FUNCTION moderation_next(p_state text, p_decision text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
	    WHEN p_decision = 'publish' AND p_state = 'pending' THEN 'published'
	    WHEN p_decision = 'reject' AND p_state IN ('pending', 'hidden')
		THEN 'rejected'
	    WHEN p_decision = 'hide' AND p_state = 'published' THEN 'hidden'
	    WHEN p_decision = 'restore' AND p_state IN ('hidden', 'rejected')
		THEN 'published'
	    WHEN p_decision = 'keep' AND p_state = 'published'
		THEN 'published'
	END
$$;
