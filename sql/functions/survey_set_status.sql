-- The lifecycle: draft -> open -> closed, nothing else.  The server
-- checked that the definition can be answered before it opens.
CREATE OR REPLACE FUNCTION survey_set_status(p_id bigint, p_by bigint,
    p_status text, p_lang text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	cur	text;
BEGIN
	SELECT status INTO cur FROM surveys WHERE id = p_id FOR UPDATE;
	IF cur IS NULL THEN
		PERFORM raise_client('survey_missing', 'no such survey');
	END IF;
	IF NOT ((cur = 'draft' AND p_status = 'open') OR
	    (cur = 'open' AND p_status = 'closed')) THEN
		PERFORM raise_client('survey_transition', 'illegal transition');
	END IF;
	UPDATE surveys SET status = p_status, updated_at = now(),
	    version = version + 1 WHERE id = p_id;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_by, 'survey.' || p_status, 'survey', p_id,
	    jsonb_build_object('from', cur));
	RETURN survey_json(p_id, p_lang, true, true);
END $$;
