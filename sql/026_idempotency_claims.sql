-- Idempotency-Key after a crash (README "Idempotency-Key"): a key whose
-- request died with its node no longer stays held.  Three facts make it
-- safe to run such a request again, never twice:
--
-- owner	the worker process that claimed the key: a random number
--		the worker holds a session advisory lock on while it lives
--		(src/core/owner.c), so "is the claimant alive" is one look at
--		pg_locks (idem_owner_alive).  NULL on rows claimed before
--		this migration (and by nodes not yet upgraded): their outcome
--		stays unknown, as before.
-- claim	the request holding the key (its request id); every write
--		the request makes checks it in the same statement
--		(idem_fence), so a request whose key a retry took over can
--		no longer commit anything.  NULL: given up (the request
--		failed with a 5xx before writing) and free for the next one.
-- written	set by the request's write in the same transaction as the
--		write itself: true exactly when the write committed.
ALTER TABLE idempotency_keys
	ADD COLUMN owner bigint,
	ADD COLUMN claim text,
	ADD COLUMN written boolean NOT NULL DEFAULT false;
