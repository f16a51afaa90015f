-- The city's taxonomy (DESIGN.md "Taxonomy"): fields of action, strategic
-- goals, districts, departments and the defect categories routed to them.
-- Kept as data so admins can edit it later without a release.

CREATE TABLE fields (
	id		smallint PRIMARY KEY,
	slug		text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
	name_de		text NOT NULL CHECK (length(name_de) BETWEEN 1 AND 120),
	name_en		text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 120),
	description_de	text NOT NULL,
	description_en	text NOT NULL,
	position	smallint NOT NULL UNIQUE
);

CREATE TABLE goal_groups (
	id		smallint PRIMARY KEY,
	slug		text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
	name_de		text NOT NULL,
	name_en		text NOT NULL,
	position	smallint NOT NULL UNIQUE
);

CREATE TABLE goals (
	id		smallint PRIMARY KEY,
	group_id	smallint NOT NULL REFERENCES goal_groups(id),
	slug		text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
	name_de		text NOT NULL,
	name_en		text NOT NULL,
	description_de	text NOT NULL,
	description_en	text NOT NULL,
	position	smallint NOT NULL UNIQUE
);

CREATE TABLE districts (
	id		smallint PRIMARY KEY,
	slug		text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
	name		text NOT NULL,
	-- Shipped entries are neutral placeholders; a city replaces them.
	is_demo		boolean NOT NULL DEFAULT false,
	position	smallint NOT NULL UNIQUE
);

CREATE TABLE departments (
	id		smallint PRIMARY KEY,
	slug		text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
	name_de		text NOT NULL,
	name_en		text NOT NULL
);

-- Open311 services: code is the public service_code.
CREATE TABLE defect_categories (
	id		smallint PRIMARY KEY,
	code		text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{1,64}$'),
	name_de		text NOT NULL,
	name_en		text NOT NULL,
	description_de	text NOT NULL,
	description_en	text NOT NULL,
	keywords	text NOT NULL DEFAULT '',
	department_id	smallint NOT NULL REFERENCES departments(id),
	active		boolean NOT NULL DEFAULT true,
	position	smallint NOT NULL UNIQUE
);

CREATE INDEX defect_categories_department ON defect_categories(department_id);
