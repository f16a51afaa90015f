-- Ideas and moderation (issue 4): ideas tagged with a Handlungsfeld,
-- comments with one level of replies, supports, flags, a public status
-- with its history, moderator decisions and edits, and the board's
-- assessment against weighted criteria.
--
-- The write paths are functions (in sql/functions/): each runs in the one
-- transaction of its statement, takes the row locks it needs, and raises
-- errors that name a constraint, which the application maps to a 404, 409
-- or 422 for the client (db_constraint in src/db.c).  Nothing half-done
-- can be committed.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Settings an administrator changes at run time.
CREATE TABLE settings (
	key		text PRIMARY KEY,
	value		text NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	CONSTRAINT settings_value CHECK (
	    (key = 'moderation_mode' AND value IN ('pre', 'post')) OR
	    (key = 'flag_threshold' AND value ~ '^[0-9]{1,3}$' AND
		value::int BETWEEN 1 AND 100))
);

INSERT INTO settings (key, value) VALUES
	-- Pre-moderation: nothing is public before a moderator published it.
	('moderation_mode', 'pre'),
	-- Published content is hidden pending review after this many flags.
	('flag_threshold', '3');

-- Why content was rejected or hidden, and why citizens flag it.
CREATE TABLE moderation_reasons (
	slug		text PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
	label_de	text NOT NULL,
	label_en	text NOT NULL,
	-- Whether citizens may choose it when they flag content.
	flaggable	boolean NOT NULL DEFAULT false,
	position	smallint NOT NULL UNIQUE
);

INSERT INTO moderation_reasons (slug, label_de, label_en, flaggable, position)
VALUES
	('spam', 'Werbung oder Spam', 'Advertising or spam', true, 1),
	('offensive', 'Beleidigend oder diskriminierend',
	    'Offensive or discriminatory', true, 2),
	('off-topic', 'Nicht zum Thema', 'Off-topic', true, 3),
	('personal-data', 'Enthält personenbezogene Daten',
	    'Contains personal data', true, 4),
	('illegal', 'Rechtswidriger Inhalt', 'Illegal content', false, 5),
	('duplicate', 'Doppelt eingereicht', 'Submitted twice', false, 6),
	('other', 'Sonstiger Grund (siehe Begründung)',
	    'Other reason (see explanation)', false, 7);

CREATE TABLE ideas (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title		text NOT NULL
			CHECK (char_length(title) BETWEEN 5 AND 120),
	description	text NOT NULL
			CHECK (char_length(description) BETWEEN 20 AND 5000),
	field_id	smallint NOT NULL REFERENCES fields(id),
	district_id	smallint REFERENCES districts(id),
	lat		double precision CHECK (lat BETWEEN -90 AND 90),
	lon		double precision CHECK (lon BETWEEN -180 AND 180),
	-- NULL for a paper or phone submission by someone without an account,
	-- and after erasure keeps its author as "gelöschtes Konto".
	author_id	bigint REFERENCES accounts(id),
	-- Staff who entered it on a citizen's behalf, and how it came in.
	entered_by	bigint REFERENCES accounts(id),
	channel		text NOT NULL DEFAULT 'online'
			CHECK (channel IN ('online', 'paper', 'phone',
			    'in_person')),
	state		text NOT NULL CHECK (state IN ('pending', 'published',
			    'rejected', 'hidden')),
	reason		text REFERENCES moderation_reasons(slug),
	reason_text	text CHECK (char_length(reason_text) <= 2000),
	status		text NOT NULL DEFAULT 'submitted'
			CHECK (status IN ('submitted', 'under_review',
			    'accepted', 'in_implementation', 'implemented',
			    'not_feasible', 'duplicate')),
	duplicate_of	bigint REFERENCES ideas(id),
	support_count	integer NOT NULL DEFAULT 0 CHECK (support_count >= 0),
	created_at	timestamptz NOT NULL DEFAULT now(),
	published_at	timestamptz,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	search		tsvector GENERATED ALWAYS AS (
			    setweight(to_tsvector('german', title), 'A') ||
			    setweight(to_tsvector('german', description), 'B'))
			    STORED,
	CHECK ((lat IS NULL) = (lon IS NULL)),
	CHECK ((channel = 'online') = (entered_by IS NULL)),
	CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL)),
	CHECK (duplicate_of <> id),
	CHECK (state <> 'published' OR published_at IS NOT NULL)
);

-- The public list: newest first and most supported, as keyset scans.
CREATE INDEX ideas_published ON ideas (published_at DESC, id DESC)
	WHERE state = 'published';
CREATE INDEX ideas_supported ON ideas (support_count DESC, id DESC)
	WHERE state = 'published';
CREATE INDEX ideas_queue ON ideas (created_at, id)
	WHERE state IN ('pending', 'hidden');
CREATE INDEX ideas_field ON ideas (field_id);
CREATE INDEX ideas_author ON ideas (author_id);
CREATE INDEX ideas_search ON ideas USING gin (search);
CREATE INDEX ideas_title_trgm ON ideas USING gin (title gin_trgm_ops);

CREATE TABLE idea_goals (
	idea_id		bigint NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	goal_id		smallint NOT NULL REFERENCES goals(id),
	PRIMARY KEY (idea_id, goal_id)
);
CREATE INDEX idea_goals_goal ON idea_goals (goal_id);

-- Moderator edits: the text as it was before each edit.
CREATE TABLE idea_revisions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('idea', 'comment')),
	target_id	bigint NOT NULL,
	title		text,
	body		text NOT NULL,
	note		text NOT NULL,
	edited_by	bigint REFERENCES accounts(id),
	edited_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idea_revisions_target ON idea_revisions (kind, target_id);

-- Accountability: every public status, why, and who set it.
CREATE TABLE idea_status_history (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	idea_id		bigint NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	status		text NOT NULL,
	justification	text NOT NULL,
	duplicate_of	bigint REFERENCES ideas(id),
	changed_by	bigint REFERENCES accounts(id),
	changed_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idea_status_history_idea ON idea_status_history (idea_id, id);

CREATE TABLE comments (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	idea_id		bigint NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	-- Replies go one level deep: a parent is itself no reply.
	parent_id	bigint REFERENCES comments(id),
	author_id	bigint REFERENCES accounts(id),
	entered_by	bigint REFERENCES accounts(id),
	channel		text NOT NULL DEFAULT 'online'
			CHECK (channel IN ('online', 'paper', 'phone',
			    'in_person')),
	body		text NOT NULL
			CHECK (char_length(body) BETWEEN 2 AND 2000),
	state		text NOT NULL CHECK (state IN ('pending', 'published',
			    'rejected', 'hidden')),
	reason		text REFERENCES moderation_reasons(slug),
	reason_text	text CHECK (char_length(reason_text) <= 2000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	published_at	timestamptz,
	CHECK ((channel = 'online') = (entered_by IS NULL)),
	CHECK (state <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX comments_idea ON comments (idea_id, id);
CREATE INDEX comments_queue ON comments (created_at, id)
	WHERE state IN ('pending', 'hidden');
CREATE INDEX comments_author ON comments (author_id);

-- One support per account and idea: the primary key is the guarantee.
CREATE TABLE supports (
	idea_id		bigint NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	account_id	bigint NOT NULL REFERENCES accounts(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (idea_id, account_id)
);
CREATE INDEX supports_account ON supports (account_id);

-- One flag per account and item; a moderator's review resolves them.
CREATE TABLE flags (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('idea', 'comment')),
	target_id	bigint NOT NULL,
	account_id	bigint NOT NULL REFERENCES accounts(id),
	reason		text NOT NULL REFERENCES moderation_reasons(slug),
	note		text CHECK (char_length(note) <= 500),
	created_at	timestamptz NOT NULL DEFAULT now(),
	resolved_at	timestamptz,
	UNIQUE (kind, target_id, account_id)
);
CREATE INDEX flags_open ON flags (kind, target_id) WHERE resolved_at IS NULL;
CREATE INDEX flags_account ON flags (account_id);

-- The board's selection criteria: a weighted list the city defines.
CREATE TABLE criteria (
	slug		text PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
	name_de		text NOT NULL CHECK (char_length(name_de) BETWEEN 1 AND 200),
	name_en		text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 200),
	weight		numeric(5,2) NOT NULL CHECK (weight > 0 AND weight <= 100),
	position	smallint NOT NULL,
	active		boolean NOT NULL DEFAULT true,
	-- Shipped entries are placeholders until the city sets its own.
	is_demo		boolean NOT NULL DEFAULT false
);

INSERT INTO criteria (slug, name_de, name_en, weight, position, is_demo) VALUES
	('strategie', 'Beitrag zu den strategischen Zielen',
	    'Contribution to the strategic goals', 3, 1, true),
	('nutzen', 'Nutzen für die Stadtgesellschaft',
	    'Benefit for the urban community', 2, 2, true),
	('reife', 'Reife und Übertragbarkeit der Lösung',
	    'Maturity and transferability of the solution', 1, 3, true),
	('daten', 'Datensouveränität und Basisinfrastruktur',
	    'Data sovereignty and basic infrastructure', 1, 4, true),
	('machbarkeit', 'Machbarkeit und Aufwand',
	    'Feasibility and effort', 2, 5, true);

CREATE TABLE assessments (
	idea_id		bigint NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	member_id	bigint NOT NULL REFERENCES accounts(id),
	comment		text NOT NULL DEFAULT ''
			CHECK (char_length(comment) <= 2000),
	submitted_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (idea_id, member_id)
);

CREATE TABLE assessment_scores (
	idea_id		bigint NOT NULL,
	member_id	bigint NOT NULL,
	criterion	text NOT NULL REFERENCES criteria(slug),
	score		smallint NOT NULL CHECK (score BETWEEN 0 AND 3),
	PRIMARY KEY (idea_id, member_id, criterion),
	FOREIGN KEY (idea_id, member_id) REFERENCES assessments
	    ON DELETE CASCADE
);

-- Submissions per key ('a:' account, 'i:' client address) in a window.
CREATE TABLE submission_counts (
	key		text PRIMARY KEY,
	window_start	timestamptz NOT NULL DEFAULT now(),
	count		integer NOT NULL DEFAULT 1
);

-- Decisions name what they touched.
ALTER TABLE audit_log ADD COLUMN target_kind text;
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id, id);
