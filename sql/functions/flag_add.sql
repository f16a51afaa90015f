-- A citizen's flag.  The item is locked so that concurrent flags count
-- each other: the Nth one hides it, pending review.
CREATE OR REPLACE FUNCTION flag_add(p_account bigint, p_kind text, p_id bigint,
    p_reason text, p_note text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	st	text;
	created	boolean;
	open	int;
	hidden	boolean := false;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM moderation_reasons WHERE slug = p_reason
	    AND flaggable) THEN
		PERFORM raise_client('flag_reason', 'unknown reason');
	END IF;
	IF p_kind = 'idea' THEN
		SELECT state INTO st FROM ideas WHERE id = p_id FOR UPDATE;
	ELSE
		SELECT state INTO st FROM comments WHERE id = p_id FOR UPDATE;
	END IF;
	IF st IS DISTINCT FROM 'published' THEN
		PERFORM raise_client('flag_target', 'no such item');
	END IF;
	INSERT INTO flags (kind, target_id, account_id, reason, note)
	    VALUES (p_kind, p_id, p_account, p_reason, p_note)
	    ON CONFLICT (kind, target_id, account_id) DO NOTHING;
	created := FOUND;
	SELECT count(*) INTO open FROM flags WHERE kind = p_kind AND
	    target_id = p_id AND resolved_at IS NULL;
	IF created AND open >= setting('flag_threshold')::int THEN
		IF p_kind = 'idea' THEN
			UPDATE ideas SET state = 'hidden', updated_at = now()
			    WHERE id = p_id;
		ELSE
			UPDATE comments SET state = 'hidden' WHERE id = p_id;
		END IF;
		INSERT INTO audit_log (actor_id, action, target_kind,
		    target_id, detail) VALUES (NULL, 'moderation.auto_hide',
		    p_kind, p_id, jsonb_build_object('from', 'published',
		    'to', 'hidden', 'open_flags', open));
		hidden := true;
	END IF;
	RETURN jsonb_build_object('created', created, 'hidden', hidden);
END $$;
