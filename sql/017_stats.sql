-- Statistics (issue 15): counts kept in the same transaction as every
-- write, so the dashboard and the evaluation read a few hundred cells
-- instead of scanning a million contributions, and never disagree with
-- each other.  The statement-level triggers that maintain these tables,
-- the functions mapping a row to its cells (shared by the triggers and the
-- recount), the backfill and stats_recount() live in sql/functions/stats_*.
--
-- A cell's month is the contribution's creation month in Berlin (a cohort:
-- an idea submitted in March counts in March as submitted, published,
-- accepted and implemented alike, so published <= submitted in every cell).
-- 0 stands for "none" in field_id, district_id and category_id.  Cells that
-- drop to 0 stay (a cell going up and down is one row, not churn).

CREATE TABLE stats_counts (
	metric		text NOT NULL CHECK (metric IN ('ideas_submitted',
			    'ideas_published', 'ideas_accepted',
			    'ideas_implemented', 'comments', 'supports',
			    'survey_responses', 'defect_reports')),
	month		date NOT NULL,
	field_id	smallint NOT NULL,
	district_id	smallint NOT NULL,
	channel		text NOT NULL CHECK (channel IN ('online', 'paper',
			    'phone', 'in_person', 'open311')),
	-- No CHECK (n >= 0): INSERT … ON CONFLICT checks the proposed row
	-- (a negative delta) before it finds the conflict.  The triggers
	-- refuse a result below 0 instead; stats_recount() sees one too.
	n		bigint NOT NULL,
	PRIMARY KEY (metric, month, field_id, district_id, channel)
);

-- Days from creation to acknowledgement ('ack') and to resolution
-- ('resolve', status resolved), floored, 366 meaning a year or more: a
-- histogram gives exact medians over any range of months.
CREATE TABLE stats_durations (
	kind		text NOT NULL CHECK (kind IN ('ack', 'resolve')),
	month		date NOT NULL,
	category_id	smallint NOT NULL,
	days		integer NOT NULL CHECK (days BETWEEN 0 AND 366),
	n		bigint NOT NULL,
	PRIMARY KEY (kind, month, category_id, days)
);

-- Distinct participants: accounts only (survey respondents are unlinkable
-- by design, anonymous reports carry no identity).  stats_people holds,
-- per month and scope key, how many counted contributions each account
-- made there; stats_distinct how many accounts have one.  Scopes: 'a' all
-- (key 0), 'f' Handlungsfeld, 'd' district, 'c' channel (1 online, 2 paper,
-- 3 phone, 4 in_person, 5 open311), 'g' age band (0 not given, 1 under-18
-- … 6 80-plus; moves when the account's band changes or it is erased).
CREATE TABLE stats_people (
	month		date NOT NULL,
	scope		"char" NOT NULL CHECK (scope IN ('a', 'f', 'd', 'c',
			    'g')),
	key		smallint NOT NULL,
	account_id	bigint NOT NULL,
	-- Rows reaching 0 are deleted; see stats_counts.n for the CHECK.
	refs		integer NOT NULL,
	PRIMARY KEY (month, scope, key, account_id)
);
-- An age band change moves the account's 'g' rows.
CREATE INDEX stats_people_account ON stats_people (account_id, scope);

CREATE TABLE stats_distinct (
	month		date NOT NULL,
	scope		"char" NOT NULL CHECK (scope IN ('a', 'f', 'd', 'c',
			    'g')),
	key		smallint NOT NULL,
	n		bigint NOT NULL,
	PRIMARY KEY (month, scope, key)
);

-- What the triggers pass around: a contribution's cell with a signed
-- count (account_id: the participant it counts for, if any), a duration
-- with a signed count, a participant's row with a signed count.
CREATE TYPE stats_delta AS (metric text, month date, field_id smallint,
    district_id smallint, channel text, account_id bigint, n bigint);
CREATE TYPE stats_span AS (kind text, month date, category_id smallint,
    days integer, n bigint);
CREATE TYPE stats_person AS (month date, scope "char", key smallint,
    account_id bigint, n bigint);
