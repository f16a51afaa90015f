-- Withdraws a support; NULL when there was none.
CREATE OR REPLACE FUNCTION support_remove(p_account bigint, p_idea bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	n	int;
BEGIN
	DELETE FROM supports WHERE idea_id = p_idea AND account_id = p_account;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	UPDATE ideas SET support_count = support_count - 1
	    WHERE id = p_idea RETURNING support_count INTO n;
	RETURN jsonb_build_object('supports', n);
END $$;
