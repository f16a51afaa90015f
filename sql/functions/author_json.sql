-- Name and author as shown to the public.
CREATE OR REPLACE FUNCTION author_json(p_author bigint, p_channel text)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT CASE
	    WHEN p_author IS NULL THEN jsonb_build_object('pseudonym', NULL,
		'deleted', false)
	    ELSE (SELECT jsonb_build_object(
		'pseudonym', CASE WHEN a.deleted_at IS NULL THEN a.pseudonym END,
		'deleted', a.deleted_at IS NOT NULL)
		FROM accounts a WHERE a.id = p_author)
	END || jsonb_build_object('channel', p_channel)
$$;
