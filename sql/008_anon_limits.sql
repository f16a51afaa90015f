-- Anonymous requests that cost a password hash or send a mail
-- (registration, password reset), counted per key ('n:' address lookup,
-- 'm:' client address) in a window, before the work is done.
CREATE TABLE anon_limits (
	key		text PRIMARY KEY,
	window_start	timestamptz NOT NULL DEFAULT now(),
	hits		integer NOT NULL DEFAULT 1
);

-- At most one live reset token per account: a new request replaces the
-- old one.  Older duplicates are retired first so the index can be built.
UPDATE account_tokens t SET used_at = now()
WHERE t.purpose = 'reset' AND t.used_at IS NULL AND EXISTS (
	SELECT 1 FROM account_tokens n
	WHERE n.account_id = t.account_id AND n.purpose = 'reset'
	AND n.used_at IS NULL
	AND (n.created_at, n.token_hash) > (t.created_at, t.token_hash));

CREATE UNIQUE INDEX account_tokens_one_reset ON account_tokens (account_id)
	WHERE purpose = 'reset' AND used_at IS NULL;
