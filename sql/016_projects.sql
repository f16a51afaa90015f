-- The Smart-City project registry (Projektsteckbriefe, strategy 4.3/4.4),
-- the board's selection by the strategy's four criteria, success criteria
-- measured over time, and the settings the statistics and the evaluation
-- report read (issue 15).  Write paths are functions in sql/functions/
-- (project_*.sql), each in the one transaction of its statement.

-- A project documented by the Smart-City unit (planners).  German texts
-- are required; English ones are optional and fall back to German.
CREATE TABLE projects (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title_de	text NOT NULL
			CHECK (char_length(title_de) BETWEEN 3 AND 200),
	title_en	text CHECK (char_length(title_en) BETWEEN 3 AND 200),
	summary_de	text NOT NULL
			CHECK (char_length(summary_de) BETWEEN 10 AND 5000),
	summary_en	text CHECK (char_length(summary_en) BETWEEN 10 AND 5000),
	department_id	smallint REFERENCES departments(id),
	partners	text NOT NULL DEFAULT ''
			CHECK (char_length(partners) <= 1000),
	status		text NOT NULL DEFAULT 'proposed'
			CHECK (status IN ('proposed', 'selected',
			    'in_implementation', 'completed', 'rejected')),
	starts_on	date,
	ends_on		date,
	budget_eur	numeric(14,2) CHECK (budget_eur >= 0),
	-- The board's decision (selected or rejected) and why.
	decision_reason	text CHECK (char_length(decision_reason) <= 2000),
	decided_at	timestamptz,
	decided_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	created_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	-- Optimistic concurrency, as for surveys: every change increments it.
	version		integer NOT NULL DEFAULT 1 CHECK (version > 0),
	CONSTRAINT project_dates CHECK (starts_on IS NULL OR ends_on IS NULL
	    OR starts_on <= ends_on),
	CONSTRAINT project_decision CHECK ((decided_at IS NULL) =
	    (decision_reason IS NULL))
);
CREATE INDEX projects_status ON projects (status, id DESC);

-- A project may count in several Handlungsfelder and goals.
CREATE TABLE project_fields (
	project_id	bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	field_id	smallint NOT NULL REFERENCES fields(id),
	PRIMARY KEY (project_id, field_id)
);
CREATE INDEX project_fields_field ON project_fields (field_id);
CREATE TABLE project_goals (
	project_id	bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	goal_id		smallint NOT NULL REFERENCES goals(id),
	PRIMARY KEY (project_id, goal_id)
);
CREATE INDEX project_goals_goal ON project_goals (goal_id);

-- The citizens' ideas a project takes up: an idea's page points to it.
CREATE TABLE project_ideas (
	project_id	bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	idea_id		bigint NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	linked_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (project_id, idea_id)
);
CREATE INDEX project_ideas_idea ON project_ideas (idea_id);

-- The surveys that informed it.
CREATE TABLE project_surveys (
	project_id	bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	survey_id	bigint NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
	PRIMARY KEY (project_id, survey_id)
);
CREATE INDEX project_surveys_survey ON project_surveys (survey_id);

-- Accountability: every status, why, and who set it.
CREATE TABLE project_history (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id	bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	status		text NOT NULL,
	note		text NOT NULL CHECK (char_length(note) <= 2000),
	changed_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	changed_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_history_project ON project_history (project_id, id);

-- The board assesses projects as it assesses ideas: one assessment per
-- member, a score 0..3 per active criterion.
CREATE TABLE project_assessments (
	project_id	bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	member_id	bigint NOT NULL REFERENCES accounts(id),
	comment		text NOT NULL DEFAULT ''
			CHECK (char_length(comment) <= 2000),
	submitted_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (project_id, member_id)
);
CREATE TABLE project_assessment_scores (
	project_id	bigint NOT NULL,
	member_id	bigint NOT NULL,
	criterion	text NOT NULL REFERENCES criteria(slug),
	score		smallint NOT NULL CHECK (score BETWEEN 0 AND 3),
	PRIMARY KEY (project_id, member_id, criterion),
	FOREIGN KEY (project_id, member_id) REFERENCES project_assessments
	    ON DELETE CASCADE
);

-- Measurable success criteria (strategy section 6).  A criterion is
-- either measured by hand (project_measurements) or derived from
-- mitwirken's own data: a survey question's mean, or the median days to
-- acknowledge or to resolve defect reports of a category.
CREATE TABLE success_criteria (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id	bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	name_de		text NOT NULL
			CHECK (char_length(name_de) BETWEEN 3 AND 200),
	name_en		text CHECK (char_length(name_en) BETWEEN 3 AND 200),
	unit		text NOT NULL DEFAULT ''
			CHECK (char_length(unit) <= 40),
	baseline	numeric NOT NULL,
	baseline_on	date NOT NULL,
	target		numeric NOT NULL,
	target_on	date NOT NULL,
	source		text NOT NULL DEFAULT ''
			CHECK (char_length(source) <= 500),
	derivation	text NOT NULL DEFAULT 'manual'
			CHECK (derivation IN ('manual', 'survey_mean',
			    'defect_ack_days', 'defect_resolve_days')),
	survey_id	bigint REFERENCES surveys(id) ON DELETE SET NULL,
	question	text CHECK (char_length(question) BETWEEN 1 AND 64),
	category_id	smallint REFERENCES defect_categories(id),
	position	smallint NOT NULL DEFAULT 0,
	created_at	timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT success_target CHECK (target <> baseline),
	CONSTRAINT success_dates CHECK (baseline_on < target_on),
	CONSTRAINT success_derivation CHECK (
	    (derivation = 'manual' AND survey_id IS NULL AND
		question IS NULL AND category_id IS NULL) OR
	    (derivation = 'survey_mean' AND question IS NOT NULL AND
		category_id IS NULL) OR
	    (derivation IN ('defect_ack_days', 'defect_resolve_days') AND
		category_id IS NOT NULL AND survey_id IS NULL AND
		question IS NULL))
);
CREATE INDEX success_criteria_project ON success_criteria (project_id,
    position, id);

CREATE TABLE project_measurements (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	criterion_id	bigint NOT NULL REFERENCES success_criteria(id)
			    ON DELETE CASCADE,
	value		numeric NOT NULL,
	measured_on	date NOT NULL,
	note		text NOT NULL DEFAULT ''
			CHECK (char_length(note) <= 500),
	entered_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	entered_at	timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT measurement_once UNIQUE (criterion_id, measured_on)
);

-- The board selects by the strategy's four central criteria (section
-- 4.4).  The five placeholders shipped before give way: those no board
-- member used are removed, the others are kept inactive so past scores
-- still name what they scored.  Equal weights: the strategy sets none;
-- admins change them (PUT /api/v1/admin/criteria/{slug}).
DELETE FROM criteria c WHERE c.is_demo AND NOT EXISTS (
    SELECT 1 FROM assessment_scores s WHERE s.criterion = c.slug);
UPDATE criteria SET active = false WHERE is_demo;
INSERT INTO criteria (slug, name_de, name_en, weight, position, is_demo)
VALUES
	('buergernutzen', 'Bürgernutzen', 'Benefit to citizens', 1, 11,
	    false),
	('kosten-nutzen', 'Kosten-Nutzen-Verhältnis', 'Cost-benefit ratio', 1,
	    12, false),
	('strategische-wirkung', 'Strategische Wirkung', 'Strategic impact',
	    1, 13, false),
	('aussenwirkung', 'Außenwirkung', 'External impact', 1, 14, false);

-- Defect reports count in a Handlungsfeld through their category, so the
-- forum dashboard shows them beside ideas.  Editable by admins.
ALTER TABLE defect_categories ADD COLUMN field_id smallint
    REFERENCES fields(id);
UPDATE defect_categories c SET field_id = f.id FROM fields f
    WHERE (c.code, f.slug) IN (
	('strassenschaden', 'mobilitaet'),
	('strassenbeleuchtung', 'bauen-und-wohnen'),
	('illegale-muellablagerung', 'umwelt-und-klimaschutz'),
	('verschmutzung', 'umwelt-und-klimaschutz'),
	('gruenanlagen-und-baeume', 'umwelt-und-klimaschutz'),
	('spielplatz', 'gesellschaft-und-kultur'),
	('verkehrszeichen-und-ampeln', 'mobilitaet'),
	('radweg', 'mobilitaet'),
	('graffiti', 'bauen-und-wohnen'));

-- The inclusion monitor's optional age band: never required, changeable
-- and erasable by its owner, cleared on erasure.
ALTER TABLE accounts ADD COLUMN age_band text CHECK (age_band IN
    ('under-18', '18-29', '30-44', '45-64', '65-79', '80-plus'));

-- New run-time settings.
ALTER TABLE settings DROP CONSTRAINT settings_value;
ALTER TABLE settings ADD CONSTRAINT settings_value CHECK (
    (key = 'moderation_mode' AND value IN ('pre', 'post')) OR
    (key = 'flag_threshold' AND value ~ '^[0-9]{1,3}$' AND
	value::int BETWEEN 1 AND 100) OR
    -- Published statistics hide counts 0 < n < k; never below 3.
    (key = 'stats_k' AND value ~ '^[0-9]{1,4}$' AND
	value::int BETWEEN 3 AND 1000) OR
    -- Planners' internal views may use a lower k, down to this.
    (key = 'stats_k_internal' AND value ~ '^[0-9]{1,4}$' AND
	value::int BETWEEN 1 AND 1000) OR
    -- The council's adoption of the strategy ('' until set): the first
    -- evaluation is due this many months after it, then every so many.
    (key = 'strategy_adopted_on' AND (value = '' OR
	value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')) OR
    (key = 'evaluation_first_months' AND value ~ '^[0-9]{1,3}$' AND
	value::int BETWEEN 1 AND 120) OR
    (key = 'evaluation_every_months' AND value ~ '^[0-9]{1,3}$' AND
	value::int BETWEEN 1 AND 120) OR
    -- The open-data licence identifier (GovData's list).
    (key = 'opendata_license' AND value ~ '^[A-Za-z0-9.:/_-]{1,100}$') OR
    -- Population shares per age band in percent, for the inclusion
    -- monitor: 'under-18=16.2;18-29=17.0;…' or '' until set.
    (key = 'population_age' AND (value = '' OR
	value ~ '^([a-z0-9-]+=[0-9]{1,3}(\.[0-9]{1,2})?;?)+$')));

INSERT INTO settings (key, value) VALUES
	('stats_k', '5'),
	('stats_k_internal', '5'),
	('strategy_adopted_on', ''),
	('evaluation_first_months', '12'),
	('evaluation_every_months', '24'),
	('opendata_license', 'dl-de/by-2-0'),
	('population_age', '');
