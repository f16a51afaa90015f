-- Idempotency-Key (README "Idempotency-Key"): one row per key a client
-- presented with a POST, scoped to who sent it ('a:<account id>' when
-- signed in, 'i:<client address>' otherwise), so no client can see
-- another's answer.  request_hash is a keyed BLAKE2b of the request (the
-- key is in the key file): it tells a retry from a different request and
-- reveals nothing of what was sent.  While the first request runs the row
-- is 'running'; its answer is stored with 'done'.  Set-Cookie is never
-- stored, and routes whose answer carries a secret refuse the header.
-- Rows are replaced or swept 24 hours after they were made.

CREATE TABLE idempotency_keys (
	scope		text NOT NULL CHECK (scope ~ '^[ai]:'),
	key		text NOT NULL CHECK (key ~ '^[!-~]{1,255}$'),
	request_hash	bytea NOT NULL CHECK (length(request_hash) = 32),
	state		text NOT NULL DEFAULT 'running'
			CHECK (state IN ('running', 'done')),
	status		smallint CHECK (status BETWEEN 100 AND 599),
	content_type	text,
	location	text,
	body		bytea,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (scope, key),
	CHECK ((state = 'done') = (status IS NOT NULL))
);

-- The sweep takes the oldest rows first.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
