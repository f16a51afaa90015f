-- The account whose owner gave staff member p_staff the code p_code, which
-- is used up with it; NULL without a code (a contribution without an
-- account).  Called in the statement that stores the contribution, so a
-- contribution that fails leaves the code unused.
CREATE OR REPLACE FUNCTION consent_take(p_code text, p_staff bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	who	bigint;
BEGIN
	IF p_code IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE consent_codes c SET used_at = now(), used_by = p_staff
	    FROM accounts a WHERE c.code = upper(p_code) AND
	    c.used_at IS NULL AND c.expires_at > now() AND
	    a.id = c.account_id AND a.deleted_at IS NULL
	    RETURNING c.account_id INTO who;
	IF who IS NULL THEN
		PERFORM raise_client('consent_code',
		    'unknown, expired or already used');
	END IF;
	RETURN who;
END $$;
