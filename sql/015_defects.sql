-- Defect reports (Mängelmelder): citizens report defects in public space,
-- the department their category is routed to works them off, the reporter
-- follows them through a private status link.  Open311 GeoReport v2
-- clients post through API keys.  See README "Defect reports".

-- When a report counts as overdue: not acknowledged within ack_days, or
-- not closed within resolve_days (calendar days, per category).
ALTER TABLE defect_categories
	ADD COLUMN ack_days smallint NOT NULL DEFAULT 2
	    CHECK (ack_days BETWEEN 1 AND 365),
	ADD COLUMN resolve_days smallint NOT NULL DEFAULT 14
	    CHECK (resolve_days BETWEEN 1 AND 730);

-- Open311 service attributes: what a category asks beyond the description.
CREATE TABLE defect_attributes (
	category_id	smallint NOT NULL REFERENCES defect_categories(id)
			    ON DELETE CASCADE,
	code		text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,32}$'),
	datatype	text NOT NULL CHECK (datatype IN ('string', 'number',
			    'datetime', 'text', 'singlevaluelist',
			    'multivaluelist')),
	required	boolean NOT NULL DEFAULT false,
	description_de	text NOT NULL,
	description_en	text NOT NULL,
	position	smallint NOT NULL,
	-- Lists: [{"key": "...", "name_de": "...", "name_en": "..."}].
	"values"	jsonb NOT NULL DEFAULT '[]',
	PRIMARY KEY (category_id, code),
	UNIQUE (category_id, position)
);

INSERT INTO defect_attributes (category_id, code, datatype, required,
    description_de, description_en, position, "values") VALUES
(1, 'depth', 'number', false, 'Tiefe des Schlaglochs in Zentimetern',
 'Depth of the pothole in centimetres', 1, '[]'),
(1, 'size', 'singlevaluelist', false, 'Größe des Schadens',
 'Size of the damage', 2,
 '[{"key": "small", "name_de": "kleiner als ein Teller", "name_en": "smaller than a plate"},
   {"key": "medium", "name_de": "bis etwa ein Meter", "name_en": "up to about a metre"},
   {"key": "large", "name_de": "größer als ein Meter", "name_en": "larger than a metre"}]'),
(2, 'lamp_number', 'string', false,
 'Nummer am Lichtmast (falls lesbar)',
 'Number on the lamp post (if legible)', 1, '[]');

-- API keys of Open311 clients; only a keyed hash of each key is stored.
CREATE TABLE open311_keys (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
	key_hash	bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
	created_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	revoked_at	timestamptz,
	last_used_at	timestamptz
);

CREATE TABLE defect_reports (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	category_id	smallint NOT NULL REFERENCES defect_categories(id),
	-- Where it is routed now (the category's department at first).
	department_id	smallint NOT NULL REFERENCES departments(id),
	reporter_id	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	entered_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	channel		text NOT NULL DEFAULT 'online' CHECK (channel IN
			    ('online', 'paper', 'phone', 'in_person',
			    'open311')),
	api_key_id	bigint REFERENCES open311_keys(id) ON DELETE SET NULL,
	-- An anonymous reporter's address for follow-up, as accounts keep
	-- theirs (keyed MAC + AEAD); erasable on its own.
	email_lookup	bytea CHECK (length(email_lookup) = 32),
	email_ct	bytea,
	-- Open311 first_name, last_name, phone: AEAD, never shown.
	contact_ct	bytea,
	notify		boolean NOT NULL DEFAULT true,
	-- The status link's token is derived from the id and this nonce with
	-- a server key, so notifications can repeat it; only its keyed hash
	-- is looked up.
	status_nonce	bytea NOT NULL CHECK (length(status_nonce) = 16),
	status_hash	bytea NOT NULL UNIQUE CHECK (length(status_hash) = 32),
	-- Open311's token: public, it only maps to the id.
	open311_token	text NOT NULL UNIQUE,
	lat		float8,
	lon		float8,
	address		text CHECK (length(address) <= 200),
	district_id	smallint REFERENCES districts(id),
	description	text NOT NULL CHECK (length(description) <= 4000),
	attributes	jsonb NOT NULL DEFAULT '{}',
	media_url	text CHECK (length(media_url) <= 500),
	-- Moderation of what the reporter wrote (text and dialogue); the
	-- department works a report whatever its state.
	state		text NOT NULL DEFAULT 'pending' CHECK (state IN
			    ('pending', 'published', 'rejected', 'hidden')),
	status		text NOT NULL DEFAULT 'open' CHECK (status IN ('open',
			    'acknowledged', 'in_progress', 'resolved',
			    'not_responsible', 'duplicate', 'rejected')),
	duplicate_of	bigint REFERENCES defect_reports(id),
	forwarded_to	text CHECK (length(forwarded_to) <= 200),
	support_count	integer NOT NULL DEFAULT 0,
	reopened_count	integer NOT NULL DEFAULT 0,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	acknowledged_at	timestamptz,
	closed_at	timestamptz,
	confirmed_at	timestamptz,
	moderated_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	moderated_at	timestamptz,
	reason		text REFERENCES moderation_reasons(slug),
	reason_text	text,
	CHECK ((lat IS NULL) = (lon IS NULL)),
	CHECK (lat IS NOT NULL OR address IS NOT NULL),
	CHECK ((email_lookup IS NULL) = (email_ct IS NULL)),
	CHECK (status <> 'duplicate' OR duplicate_of IS NOT NULL),
	CHECK (duplicate_of IS NULL OR duplicate_of <> id),
	CHECK ((status IN ('resolved', 'not_responsible', 'duplicate',
	    'rejected')) = (closed_at IS NOT NULL))
);

-- Open311 lists newest first within a date range; the map pages by id.
CREATE INDEX defect_reports_created ON defect_reports (created_at DESC, id DESC);
CREATE INDEX defect_reports_queue ON defect_reports (department_id, status,
    created_at, id);
CREATE INDEX defect_reports_category_open ON defect_reports (category_id,
    lat, lon) WHERE closed_at IS NULL;
CREATE INDEX defect_reports_reporter ON defect_reports (reporter_id);
CREATE INDEX defect_reports_pending ON defect_reports (created_at, id)
    WHERE state = 'pending';
CREATE INDEX defect_reports_email ON defect_reports (email_lookup)
    WHERE email_lookup IS NOT NULL;

CREATE TABLE defect_photos (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	report_id	bigint NOT NULL REFERENCES defect_reports(id)
			    ON DELETE CASCADE,
	position	smallint NOT NULL CHECK (position BETWEEN 1 AND 3),
	-- Public only after a moderator looked for faces and number plates.
	state		text NOT NULL DEFAULT 'pending' CHECK (state IN
			    ('pending', 'published', 'removed')),
	-- Re-encoded JPEG without metadata; emptied when removed.
	image		bytea,
	thumb		bytea,
	width		integer NOT NULL,
	height		integer NOT NULL,
	thumb_width	integer NOT NULL,
	thumb_height	integer NOT NULL,
	blurred		boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now(),
	moderated_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	moderated_at	timestamptz,
	UNIQUE (report_id, position),
	CHECK ((state = 'removed') = (image IS NULL))
);
CREATE INDEX defect_photos_pending ON defect_photos (created_at, id)
    WHERE state = 'pending';

-- One support per person: a keyed hash of the account or the client key.
CREATE TABLE defect_supports (
	report_id	bigint NOT NULL REFERENCES defect_reports(id)
			    ON DELETE CASCADE,
	supporter	bytea NOT NULL CHECK (length(supporter) = 32),
	account_id	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (report_id, supporter)
);
CREATE INDEX defect_supports_account ON defect_supports (account_id);

-- Every status change and reassignment with its public note.
CREATE TABLE defect_history (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	report_id	bigint NOT NULL REFERENCES defect_reports(id)
			    ON DELETE CASCADE,
	status		text NOT NULL,
	department_id	smallint NOT NULL REFERENCES departments(id),
	note		text NOT NULL DEFAULT '',
	-- staff, reporter (confirm, reopen), system (submission)
	actor_kind	text NOT NULL CHECK (actor_kind IN ('staff',
			    'reporter', 'system')),
	actor_id	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX defect_history_report ON defect_history (report_id, id);

-- The dialogue between reporter and department.  Staff messages show at
-- once; the reporter's after moderation (the department sees them at once).
CREATE TABLE defect_messages (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	report_id	bigint NOT NULL REFERENCES defect_reports(id)
			    ON DELETE CASCADE,
	sender		text NOT NULL CHECK (sender IN ('reporter', 'staff')),
	actor_id	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	body		text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
	state		text NOT NULL CHECK (state IN ('pending', 'published',
			    'rejected', 'hidden')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	moderated_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	moderated_at	timestamptz,
	reason		text REFERENCES moderation_reasons(slug),
	reason_text	text
);
CREATE INDEX defect_messages_report ON defect_messages (report_id, id);
CREATE INDEX defect_messages_pending ON defect_messages (created_at, id)
    WHERE state = 'pending';
