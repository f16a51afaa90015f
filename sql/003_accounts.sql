-- Pseudonymous accounts (DESIGN.md "Privacy design").  The address is kept
-- only as a keyed MAC for lookups and as AEAD ciphertext for contact; the
-- keys live in the key file, never here.  Passwords are argon2id strings.

CREATE TABLE pseudonym_words (
	kind	text NOT NULL CHECK (kind IN ('adjective', 'animal')),
	word	text NOT NULL CHECK (word ~ '^[a-z]{3,12}$'),
	PRIMARY KEY (kind, word)
);

CREATE TABLE accounts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	pseudonym	text NOT NULL UNIQUE
			CHECK (pseudonym ~ '^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$'),
	email_lookup	bytea UNIQUE CHECK (length(email_lookup) = 32),
	email_ct	bytea,
	password_hash	text,
	verified_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	deleted_at	timestamptz,
	-- Erasure leaves nothing that identifies the person.
	CHECK (deleted_at IS NULL OR (email_lookup IS NULL AND
	    email_ct IS NULL AND password_hash IS NULL)),
	CHECK (deleted_at IS NOT NULL OR (email_lookup IS NOT NULL AND
	    email_ct IS NOT NULL))
);

-- Staff belong to a department; other roles do not.
CREATE TABLE account_roles (
	account_id	bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	role		text NOT NULL CHECK (role IN ('moderator', 'staff',
			    'planner', 'board', 'admin')),
	department_id	smallint REFERENCES departments(id),
	granted_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	granted_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (account_id, role),
	CHECK ((role = 'staff') = (department_id IS NOT NULL))
);

-- Only a keyed hash of each token is stored.
CREATE TABLE sessions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	account_id	bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	kind		text NOT NULL CHECK (kind IN ('cookie', 'bearer')),
	csrf_token	text NOT NULL,
	user_agent	text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE account_tokens (
	token_hash	bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	account_id	bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	purpose		text NOT NULL CHECK (purpose IN ('verify', 'reset')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);
CREATE INDEX account_tokens_account ON account_tokens(account_id);

-- Failed logins per key ('a:' account lookup, 'i:' address) in a window.
CREATE TABLE login_failures (
	key		text PRIMARY KEY,
	window_start	timestamptz NOT NULL DEFAULT now(),
	failures	integer NOT NULL DEFAULT 1
);

-- Outgoing mail, sealed with the outbox key: recipient and body are
-- ciphertext, so a dump of this table reveals neither.
CREATE TABLE outbox (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account_id	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	sealed		bytea NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	attempts	integer NOT NULL DEFAULT 0,
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz,
	last_error	text
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL;

-- Who did what to whom, for the accountability of staff actions.
CREATE TABLE audit_log (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor_id	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	action		text NOT NULL,
	target_id	bigint,
	detail		jsonb NOT NULL DEFAULT '{}'
);

INSERT INTO pseudonym_words (kind, word)
SELECT 'adjective', w FROM unnest(ARRAY[
	'blaue', 'bunte', 'flinke', 'frohe', 'gruene', 'heitere', 'helle',
	'kluge', 'kuehne', 'leise', 'mutige', 'muntere', 'rote', 'ruhige',
	'sanfte', 'schlaue', 'stille', 'tapfere', 'wache', 'weise', 'wilde',
	'zarte', 'goldene', 'silberne', 'emsige', 'fleissige', 'freundliche',
	'geduldige', 'neugierige', 'pfiffige', 'sonnige', 'stolze']) w;

INSERT INTO pseudonym_words (kind, word)
SELECT 'animal', w FROM unnest(ARRAY[
	'eule', 'amsel', 'biene', 'dachs', 'elster', 'falke', 'fuchs',
	'hase', 'igel', 'kauz', 'kranich', 'lerche', 'luchs', 'marder',
	'meise', 'otter', 'rabe', 'reh', 'specht', 'storch', 'taube', 'wiesel',
	'zaunkoenig', 'biber', 'hummel', 'libelle', 'eichhorn', 'fink',
	'schwalbe', 'kiebitz', 'lachs', 'forelle']) w;
