-- Whether the worker process p_owner still runs: it holds a session
-- advisory lock on its owner number for as long as it lives
-- (src/core/owner.c).  A killed process's connection closes with it and
-- PostgreSQL drops the lock at once, so unlike a lease renewed on a
-- timer this needs no writes (none to replicate synchronously) and no
-- wait for an expiry.  A bigint lock shows as classid (high half),
-- objid (low half), objsubid 1.
CREATE OR REPLACE FUNCTION idem_owner_alive(p_owner bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM pg_locks
	    WHERE locktype = 'advisory' AND objsubid = 1 AND granted
	    AND database = (SELECT oid FROM pg_database
		WHERE datname = current_database())
	    AND classid::bigint = (p_owner >> 32) & 4294967295
	    AND objid::bigint = p_owner & 4294967295)
$$;
