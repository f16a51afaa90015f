-- Raises an error naming p_constraint, which db_constraint in src/db.c maps
-- to a 404, 409 or 422 for the client.
CREATE OR REPLACE FUNCTION raise_client(p_constraint text, p_message text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '%', p_message
	    USING ERRCODE = 'check_violation', CONSTRAINT = p_constraint;
END $$;
