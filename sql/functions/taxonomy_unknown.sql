-- Raises "unknown <what>" for a statement that names a taxonomy entry
-- which does not exist (taxonomy_<what>, mapped to a 422 by the caller).
CREATE OR REPLACE FUNCTION taxonomy_unknown(p_what text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM raise_client('taxonomy_' || p_what, 'unknown ' || p_what);
	RETURN false;
END $$;
