-- The check in every write a request makes while it holds an
-- Idempotency-Key (src/core/idempotency.c puts it in the write's own
-- statement): true when the key is still this request's, else the whole
-- statement fails, so a request whose key was taken over by a retry
-- commits nothing.  serialization_failure: the client gets 503 with
-- Retry-After, and its retry finds the other request's answer.
CREATE OR REPLACE FUNCTION idem_fence(p_claim text, p_mine text)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	IF p_claim IS DISTINCT FROM p_mine THEN
		RAISE EXCEPTION 'Idempotency-Key taken over by a retry'
		    USING ERRCODE = 'serialization_failure';
	END IF;
	RETURN true;
END $$;
