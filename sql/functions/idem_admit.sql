-- The Idempotency-Key quota (README "Quotas and bounds"): may this scope
-- claim the key?  0 when it may, else the seconds until its oldest key of
-- the window leaves it.  A key the scope already holds (a retry, or a
-- reuse the caller answers with 422) is always admitted, so retries work
-- past the cap.  The scope's lock makes parallel claims count one after
-- the other: each statement of this volatile function sees the rows that
-- the claims before it committed, so the cap holds under a burst.
CREATE OR REPLACE FUNCTION idem_admit(p_scope text, p_key text,
    p_limit int, p_window int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	n	bigint;
	oldest	timestamptz;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended('idem:' || p_scope, 0));
	IF EXISTS (SELECT 1 FROM idempotency_keys
	    WHERE scope = p_scope AND key = p_key
	    AND created_at >= now() - interval '24 hours') THEN
		RETURN 0;
	END IF;
	SELECT count(*), min(created_at) INTO n, oldest
	FROM idempotency_keys WHERE scope = p_scope
	AND created_at >= now() - make_interval(secs => p_window);
	IF n < p_limit THEN
		RETURN 0;
	END IF;
	RETURN greatest(ceil(extract(epoch FROM oldest +
	    make_interval(secs => p_window) - now()))::int, 1);
END $$;
