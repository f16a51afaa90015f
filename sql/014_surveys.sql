-- Surveys (issue 13): SurveyJS definitions, one response per respondent,
-- tallies kept in the same transaction as each response, drafts, and
-- single-use access codes.
--
-- A respondent is only ever a per-survey pseudonym: a keyed MAC computed
-- by the server (survey_respondent() in src/lib/survey.c) that the
-- database cannot recompute.  Access codes are stored as a keyed hash
-- only.  The write paths are functions in sql/functions/survey_*.sql.
-- The application role's rights come from pg_grant_app (src/tools/pg.sh),
-- which grants on every table after each migration.

CREATE TABLE surveys (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	-- The definition's German title, for lists and search.
	title		text NOT NULL
			CHECK (char_length(title) BETWEEN 1 AND 300),
	definition	jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
	status		text NOT NULL DEFAULT 'draft'
			CHECK (status IN ('draft', 'open', 'closed')),
	opens_at	timestamptz,
	closes_at	timestamptz,
	access		text NOT NULL DEFAULT 'account'
			CHECK (access IN ('account', 'codes', 'open')),
	results_public	boolean NOT NULL DEFAULT false,
	-- The one cross-tabulation: two question names of the definition.
	crosstab_a	text CHECK (char_length(crosstab_a) BETWEEN 1 AND 64),
	crosstab_b	text CHECK (char_length(crosstab_b) BETWEEN 1 AND 64),
	created_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	-- Optimistic concurrency: every change increments it.
	version		integer NOT NULL DEFAULT 1 CHECK (version > 0),
	CONSTRAINT survey_window CHECK (opens_at IS NULL OR closes_at IS NULL
	    OR opens_at < closes_at),
	CONSTRAINT survey_crosstab CHECK ((crosstab_a IS NULL AND
	    crosstab_b IS NULL) OR (crosstab_a IS NOT NULL AND
	    crosstab_b IS NOT NULL AND crosstab_a <> crosstab_b))
);
CREATE INDEX surveys_status ON surveys (status, id DESC);

CREATE TABLE survey_fields (
	survey_id	bigint NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
	field_id	smallint NOT NULL REFERENCES fields(id),
	PRIMARY KEY (survey_id, field_id)
);
CREATE TABLE survey_districts (
	survey_id	bigint NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
	district_id	smallint NOT NULL REFERENCES districts(id),
	PRIMARY KEY (survey_id, district_id)
);
CREATE TABLE survey_goals (
	survey_id	bigint NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
	goal_id		smallint NOT NULL REFERENCES goals(id),
	PRIMARY KEY (survey_id, goal_id)
);

CREATE TABLE survey_responses (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	survey_id	bigint NOT NULL REFERENCES surveys(id),
	-- The per-survey pseudonym (HMAC-SHA-256); random after erasure.
	respondent	bytea NOT NULL CHECK (length(respondent) = 32),
	channel		text NOT NULL DEFAULT 'online'
			CHECK (channel IN ('online', 'paper', 'phone',
			    'in_person')),
	-- The respondent's own district, when they gave one.
	district_id	smallint REFERENCES districts(id),
	answers		jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
	submitted_at	timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT survey_response_once UNIQUE (survey_id, respondent)
);
-- Exports read a survey's responses in id order.
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, id);

-- Counts per response key (see results_tallies in src/lib/results.c),
-- channel and district (0: none given), maintained by survey_submit() in
-- the response's own transaction: results cost the same at a million
-- responses as at a thousand.
CREATE TABLE survey_tallies (
	survey_id	bigint NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
	kind		"char" NOT NULL CHECK (kind IN ('n', 's', 'a', 'v', 'x',
			    'd')),
	question	text NOT NULL,
	item		text NOT NULL,
	value		text NOT NULL,
	channel		text NOT NULL,
	district_id	smallint NOT NULL DEFAULT 0,
	n		bigint NOT NULL CHECK (n >= 0),
	PRIMARY KEY (survey_id, kind, question, item, value, channel,
	    district_id)
);

-- Save and resume, for signed-in respondents only.
CREATE TABLE survey_drafts (
	survey_id	bigint NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
	respondent	bytea NOT NULL CHECK (length(respondent) = 32),
	answers		jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
	page		integer NOT NULL DEFAULT 0 CHECK (page >= 0),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (survey_id, respondent)
);

-- Single-use access codes: only a keyed hash of each code is kept.
CREATE TABLE survey_codes (
	survey_id	bigint NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
	code_hash	bytea NOT NULL CHECK (length(code_hash) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	used_at		timestamptz,
	PRIMARY KEY (survey_id, code_hash)
);
