-- Ideas and moderation (issue 4): ideas tagged with a Handlungsfeld,
-- comments with one level of replies, supports, flags, a public status
-- with its history, moderator decisions and edits, and the board's
-- assessment against weighted criteria.
--
-- The write paths are functions: each runs in the one transaction of its
-- statement, takes the row locks it needs, and raises errors that name a
-- constraint, which the application maps to a 404, 409 or 422 for the
-- client (db_constraint in src/db.c).  Nothing half-done can be committed.

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

CREATE FUNCTION setting(p_key text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT value FROM settings WHERE key = p_key $$;

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

-- Name and author as shown to the public.
CREATE FUNCTION author_json(p_author bigint, p_channel text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT CASE
	    WHEN p_author IS NULL THEN jsonb_build_object('pseudonym', NULL,
		'deleted', false)
	    ELSE (SELECT jsonb_build_object(
		'pseudonym', CASE WHEN a.deleted_at IS NULL THEN a.pseudonym END,
		'deleted', a.deleted_at IS NOT NULL)
		FROM accounts a WHERE a.id = p_author)
	END || jsonb_build_object('channel', p_channel)
$$;

-- Counts a submission under each key; seconds to wait, or 0 when allowed.
CREATE FUNCTION submission_allowed(p_keys text[], p_limits int[],
    p_window int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	i	int;
	c	record;
	wait	int := 0;
BEGIN
	FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
		INSERT INTO submission_counts AS s (key) VALUES (p_keys[i])
		ON CONFLICT (key) DO UPDATE SET
		    count = CASE WHEN s.window_start <
			now() - make_interval(secs => p_window) THEN 1
			ELSE s.count + 1 END,
		    window_start = CASE WHEN s.window_start <
			now() - make_interval(secs => p_window) THEN now()
			ELSE s.window_start END
		RETURNING s.count, s.window_start INTO c;
		IF c.count > p_limits[i] THEN
			wait := greatest(wait, ceil(extract(epoch FROM
			    c.window_start + make_interval(secs => p_window) -
			    now()))::int, 1);
		END IF;
	END LOOP;
	RETURN wait;
END $$;

-- A comment with its replies (one level), as a viewer may see them.
CREATE FUNCTION comment_json(p_id bigint, p_viewer bigint,
    p_moderator boolean) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', c.id, 'parent_id', c.parent_id,
	    'body', c.body, 'author', author_json(c.author_id, c.channel),
	    'state', c.state, 'created_at', c.created_at,
	    'mine', coalesce(c.author_id = p_viewer, false),
	    'moderation', CASE WHEN p_moderator OR c.author_id = p_viewer THEN
		jsonb_build_object('reason', c.reason,
		'explanation', c.reason_text) END,
	    'edited', EXISTS (SELECT 1 FROM idea_revisions r WHERE
		r.kind = 'comment' AND r.target_id = c.id),
	    'replies', CASE WHEN c.parent_id IS NULL THEN
		(SELECT coalesce(jsonb_agg(comment_json(r.id, p_viewer,
		p_moderator) ORDER BY r.id), '[]') FROM comments r
		WHERE r.parent_id = c.id AND (r.state = 'published' OR
		p_moderator OR r.author_id = p_viewer)) END)
	FROM comments c WHERE c.id = p_id
$$;

-- The whole idea as a viewer may see it.  Moderation details go to the
-- author and to moderators; nobody ever sees an e-mail address here.
CREATE FUNCTION idea_json(p_id bigint, p_viewer bigint, p_moderator boolean,
    p_lang text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'id', i.id, 'title', i.title, 'description', i.description,
	    'field', jsonb_build_object('slug', f.slug, 'name',
		CASE WHEN p_lang = 'en' THEN f.name_en ELSE f.name_de END),
	    'goals', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'slug', g.slug, 'name',
		CASE WHEN p_lang = 'en' THEN g.name_en ELSE g.name_de END)
		ORDER BY g.position) FROM idea_goals ig
		JOIN goals g ON g.id = ig.goal_id WHERE ig.idea_id = i.id),
		'[]'),
	    'district', (SELECT jsonb_build_object('slug', d.slug, 'name',
		d.name) FROM districts d WHERE d.id = i.district_id),
	    'location', CASE WHEN i.lat IS NOT NULL THEN
		jsonb_build_object('lat', i.lat, 'lon', i.lon) END,
	    'author', author_json(i.author_id, i.channel),
	    'mine', coalesce(i.author_id = p_viewer OR i.entered_by = p_viewer,
		false),
	    'state', i.state,
	    'moderation', CASE WHEN p_moderator OR i.author_id = p_viewer OR
		i.entered_by = p_viewer THEN jsonb_build_object(
		'reason', i.reason, 'reason_label', (SELECT CASE WHEN
		    p_lang = 'en' THEN r.label_en ELSE r.label_de END FROM
		    moderation_reasons r WHERE r.slug = i.reason),
		'explanation', i.reason_text,
		'open_flags', CASE WHEN p_moderator THEN (SELECT count(*)
		    FROM flags fl WHERE fl.kind = 'idea' AND
		    fl.target_id = i.id AND fl.resolved_at IS NULL) END,
		-- What the text was before each moderator's edit, and why.
		'revisions', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		    'title', r.title, 'description', r.body, 'note', r.note,
		    'edited_at', r.edited_at) ORDER BY r.id), '[]')
		    FROM idea_revisions r WHERE r.kind = 'idea' AND
		    r.target_id = i.id)) END,
	    -- Everyone may know that moderation changed the text.
	    'edited', EXISTS (SELECT 1 FROM idea_revisions r WHERE
		r.kind = 'idea' AND r.target_id = i.id),
	    'status', i.status, 'duplicate_of', i.duplicate_of,
	    'status_history', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		'status', h.status, 'justification', h.justification,
		'duplicate_of', h.duplicate_of, 'at', h.changed_at)
		ORDER BY h.id), '[]') FROM idea_status_history h
		WHERE h.idea_id = i.id),
	    'supports', i.support_count,
	    'supported', p_viewer IS NOT NULL AND EXISTS (SELECT 1 FROM
		supports s WHERE s.idea_id = i.id AND s.account_id = p_viewer),
	    'flagged', p_viewer IS NOT NULL AND EXISTS (SELECT 1 FROM flags
		fl WHERE fl.kind = 'idea' AND fl.target_id = i.id AND
		fl.account_id = p_viewer),
	    'comments', (SELECT coalesce(jsonb_agg(comment_json(c.id,
		p_viewer, p_moderator) ORDER BY c.id), '[]') FROM comments c
		WHERE c.idea_id = i.id AND c.parent_id IS NULL AND
		(c.state = 'published' OR p_moderator OR
		c.author_id = p_viewer)),
	    'created_at', i.created_at, 'published_at', i.published_at)
	FROM ideas i JOIN fields f ON f.id = i.field_id
	WHERE i.id = p_id AND (i.state = 'published' OR p_moderator OR
	    (p_viewer IS NOT NULL AND (i.author_id = p_viewer OR
	    i.entered_by = p_viewer)))
$$;

CREATE FUNCTION raise_client(p_constraint text, p_message text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '%', p_message
	    USING ERRCODE = 'check_violation', CONSTRAINT = p_constraint;
END $$;

-- A new idea.  Returns {"idea": {...}} or {"retry_after": seconds} when a
-- rate limit is reached (the count of the attempt is kept).
CREATE FUNCTION idea_submit(p_author bigint, p_entered_by bigint,
    p_channel text, p_title text, p_description text, p_field text,
    p_goals text[], p_district text, p_lat float8, p_lon float8,
    p_keys text[], p_limits int[], p_window int, p_lang text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	wait	int;
	fid	smallint;
	did	smallint;
	nid	bigint;
	st	text;
BEGIN
	wait := submission_allowed(p_keys, p_limits, p_window);
	IF wait > 0 THEN
		RETURN jsonb_build_object('retry_after', wait);
	END IF;
	SELECT id INTO fid FROM fields WHERE slug = p_field;
	IF fid IS NULL THEN
		PERFORM raise_client('idea_field', 'unknown field');
	END IF;
	IF p_district IS NOT NULL THEN
		SELECT id INTO did FROM districts WHERE slug = p_district;
		IF did IS NULL THEN
			PERFORM raise_client('idea_district',
			    'unknown district');
		END IF;
	END IF;
	IF (SELECT count(*) FROM goals WHERE slug = ANY (p_goals)) <>
	    (SELECT count(DISTINCT g) FROM unnest(p_goals) g) THEN
		PERFORM raise_client('idea_goals', 'unknown goal');
	END IF;
	IF p_author IS NOT NULL AND p_entered_by IS NOT NULL AND NOT EXISTS
	    (SELECT 1 FROM accounts WHERE id = p_author AND
	    deleted_at IS NULL) THEN
		PERFORM raise_client('idea_citizen', 'unknown account');
	END IF;
	st := CASE setting('moderation_mode') WHEN 'post' THEN 'published'
	    ELSE 'pending' END;
	INSERT INTO ideas (title, description, field_id, district_id, lat,
	    lon, author_id, entered_by, channel, state, published_at)
	VALUES (p_title, p_description, fid, did, p_lat, p_lon, p_author,
	    p_entered_by, p_channel, st,
	    CASE WHEN st = 'published' THEN now() END)
	RETURNING id INTO nid;
	INSERT INTO idea_goals (idea_id, goal_id)
	    SELECT nid, id FROM goals WHERE slug = ANY (p_goals);
	INSERT INTO idea_status_history (idea_id, status, justification,
	    changed_by) VALUES (nid, 'submitted', '',
	    coalesce(p_entered_by, p_author));
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (coalesce(p_entered_by, p_author), 'idea.submit',
	    'idea', nid, jsonb_build_object('state', st, 'channel', p_channel,
	    'on_behalf_of', CASE WHEN p_entered_by IS NOT NULL THEN
	    p_author END));
	RETURN jsonb_build_object('idea', idea_json(nid,
	    coalesce(p_entered_by, p_author), false, p_lang));
END $$;

CREATE FUNCTION comment_submit(p_author bigint, p_entered_by bigint,
    p_channel text, p_idea bigint, p_parent bigint, p_body text,
    p_keys text[], p_limits int[], p_window int)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	wait	int;
	nid	bigint;
	st	text;
BEGIN
	-- Comments go only under published ideas.
	PERFORM 1 FROM ideas WHERE id = p_idea AND state = 'published';
	IF NOT FOUND THEN
		PERFORM raise_client('comment_idea', 'no such idea');
	END IF;
	IF p_parent IS NOT NULL THEN
		PERFORM 1 FROM comments WHERE id = p_parent AND
		    idea_id = p_idea AND parent_id IS NULL AND
		    state = 'published';
		IF NOT FOUND THEN
			PERFORM raise_client('comment_parent',
			    'not a comment of this idea that takes replies');
		END IF;
	END IF;
	wait := submission_allowed(p_keys, p_limits, p_window);
	IF wait > 0 THEN
		RETURN jsonb_build_object('retry_after', wait);
	END IF;
	st := CASE setting('moderation_mode') WHEN 'post' THEN 'published'
	    ELSE 'pending' END;
	INSERT INTO comments (idea_id, parent_id, author_id, entered_by,
	    channel, body, state, published_at)
	VALUES (p_idea, p_parent, p_author, p_entered_by, p_channel, p_body,
	    st, CASE WHEN st = 'published' THEN now() END)
	RETURNING id INTO nid;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (coalesce(p_entered_by, p_author),
	    'comment.submit', 'comment', nid, jsonb_build_object('state', st,
	    'idea', p_idea, 'channel', p_channel));
	RETURN jsonb_build_object('comment', comment_json(nid,
	    coalesce(p_entered_by, p_author), false));
END $$;

-- Which moderation decision leads from which state to which.
CREATE FUNCTION moderation_next(p_state text, p_decision text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
	    WHEN p_decision = 'publish' AND p_state = 'pending' THEN 'published'
	    WHEN p_decision = 'reject' AND p_state IN ('pending', 'hidden')
		THEN 'rejected'
	    WHEN p_decision = 'hide' AND p_state = 'published' THEN 'hidden'
	    WHEN p_decision = 'restore' AND p_state IN ('hidden', 'rejected')
		THEN 'published'
	END
$$;

-- Decides on several items at once: all of them or none.
CREATE FUNCTION moderate(p_actor bigint, p_kind text, p_ids bigint[],
    p_decision text, p_reason text, p_text text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r	record;
	nxt	text;
	out	jsonb := '[]';
	n	int := 0;
BEGIN
	IF p_reason IS NOT NULL AND NOT EXISTS (SELECT 1 FROM
	    moderation_reasons WHERE slug = p_reason) THEN
		PERFORM raise_client('moderation_reason', 'unknown reason');
	END IF;
	FOR r IN EXECUTE format('SELECT id, state FROM %I WHERE id = ANY ($1)'
	    ' ORDER BY id FOR UPDATE', CASE p_kind WHEN 'idea' THEN 'ideas'
	    ELSE 'comments' END) USING p_ids LOOP
		n := n + 1;
		nxt := moderation_next(r.state, p_decision);
		IF nxt IS NULL THEN
			PERFORM raise_client('moderation_transition',
			    format('%s %s is %s: cannot %s', p_kind, r.id,
			    r.state, p_decision));
		END IF;
		IF p_kind = 'idea' THEN
			UPDATE ideas SET state = nxt, updated_at = now(),
			    published_at = CASE WHEN nxt = 'published' THEN
				coalesce(published_at, now())
				ELSE published_at END,
			    reason = CASE WHEN nxt = 'published' THEN NULL
				ELSE p_reason END,
			    reason_text = CASE WHEN nxt = 'published' THEN NULL
				ELSE p_text END
			    WHERE id = r.id;
		ELSE
			UPDATE comments SET state = nxt,
			    published_at = CASE WHEN nxt = 'published' THEN
				coalesce(published_at, now())
				ELSE published_at END,
			    reason = CASE WHEN nxt = 'published' THEN NULL
				ELSE p_reason END,
			    reason_text = CASE WHEN nxt = 'published' THEN NULL
				ELSE p_text END
			    WHERE id = r.id;
		END IF;
		-- A decision reviews the open flags; new ones count afresh.
		UPDATE flags SET resolved_at = now() WHERE kind = p_kind AND
		    target_id = r.id AND resolved_at IS NULL;
		INSERT INTO audit_log (actor_id, action, target_kind,
		    target_id, detail) VALUES (p_actor,
		    'moderation.' || p_decision, p_kind, r.id,
		    jsonb_build_object('from', r.state, 'to', nxt,
		    'reason', p_reason, 'explanation', p_text));
		out := out || jsonb_build_object('id', r.id, 'from', r.state,
		    'to', nxt);
	END LOOP;
	IF n <> (SELECT count(DISTINCT x) FROM unnest(p_ids) x) THEN
		PERFORM raise_client('moderation_target', 'no such item');
	END IF;
	RETURN jsonb_build_object('decision', p_decision, 'kind', p_kind,
	    'items', out);
END $$;

-- A moderator's edit; the previous text is kept.
CREATE FUNCTION moderate_edit(p_actor bigint, p_kind text, p_id bigint,
    p_title text, p_body text, p_note text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r	record;
BEGIN
	IF p_kind = 'idea' THEN
		SELECT title, description AS body INTO r FROM ideas
		    WHERE id = p_id FOR UPDATE;
	ELSE
		SELECT NULL::text AS title, body INTO r FROM comments
		    WHERE id = p_id FOR UPDATE;
	END IF;
	IF NOT FOUND THEN
		PERFORM raise_client('moderation_target', 'no such item');
	END IF;
	INSERT INTO idea_revisions (kind, target_id, title, body, note,
	    edited_by) VALUES (p_kind, p_id, r.title, r.body, p_note, p_actor);
	IF p_kind = 'idea' THEN
		UPDATE ideas SET title = coalesce(p_title, title),
		    description = coalesce(p_body, description),
		    updated_at = now() WHERE id = p_id;
	ELSE
		UPDATE comments SET body = coalesce(p_body, body)
		    WHERE id = p_id;
	END IF;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_actor, 'moderation.edit', p_kind, p_id,
	    jsonb_build_object('note', p_note, 'title_changed',
	    p_title IS NOT NULL AND p_title IS DISTINCT FROM r.title,
	    'body_changed', p_body IS NOT NULL AND p_body <> r.body));
	RETURN jsonb_build_object('id', p_id, 'kind', p_kind,
	    'revisions', (SELECT count(*) FROM idea_revisions WHERE
	    kind = p_kind AND target_id = p_id));
END $$;

-- A citizen's flag.  The item is locked so that concurrent flags count
-- each other: the Nth one hides it, pending review.
CREATE FUNCTION flag_add(p_account bigint, p_kind text, p_id bigint,
    p_reason text, p_note text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	st	text;
	created	boolean;
	open	int;
	hidden	boolean := false;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM moderation_reasons WHERE slug = p_reason
	    AND flaggable) THEN
		PERFORM raise_client('flag_reason', 'unknown reason');
	END IF;
	IF p_kind = 'idea' THEN
		SELECT state INTO st FROM ideas WHERE id = p_id FOR UPDATE;
	ELSE
		SELECT state INTO st FROM comments WHERE id = p_id FOR UPDATE;
	END IF;
	IF st IS DISTINCT FROM 'published' THEN
		PERFORM raise_client('flag_target', 'no such item');
	END IF;
	INSERT INTO flags (kind, target_id, account_id, reason, note)
	    VALUES (p_kind, p_id, p_account, p_reason, p_note)
	    ON CONFLICT (kind, target_id, account_id) DO NOTHING;
	created := FOUND;
	SELECT count(*) INTO open FROM flags WHERE kind = p_kind AND
	    target_id = p_id AND resolved_at IS NULL;
	IF created AND open >= setting('flag_threshold')::int THEN
		IF p_kind = 'idea' THEN
			UPDATE ideas SET state = 'hidden', updated_at = now()
			    WHERE id = p_id;
		ELSE
			UPDATE comments SET state = 'hidden' WHERE id = p_id;
		END IF;
		INSERT INTO audit_log (actor_id, action, target_kind,
		    target_id, detail) VALUES (NULL, 'moderation.auto_hide',
		    p_kind, p_id, jsonb_build_object('from', 'published',
		    'to', 'hidden', 'open_flags', open));
		hidden := true;
	END IF;
	RETURN jsonb_build_object('created', created, 'hidden', hidden);
END $$;

CREATE FUNCTION support_add(p_account bigint, p_idea bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	created	boolean;
	n	int;
BEGIN
	PERFORM 1 FROM ideas WHERE id = p_idea AND state = 'published';
	IF NOT FOUND THEN
		PERFORM raise_client('support_idea', 'no such idea');
	END IF;
	INSERT INTO supports (idea_id, account_id) VALUES (p_idea, p_account)
	    ON CONFLICT DO NOTHING;
	created := FOUND;
	IF created THEN
		UPDATE ideas SET support_count = support_count + 1
		    WHERE id = p_idea RETURNING support_count INTO n;
	ELSE
		SELECT support_count INTO n FROM ideas WHERE id = p_idea;
	END IF;
	RETURN jsonb_build_object('created', created, 'supports', n);
END $$;

CREATE FUNCTION support_remove(p_account bigint, p_idea bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	n	int;
BEGIN
	DELETE FROM supports WHERE idea_id = p_idea AND account_id = p_account;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	UPDATE ideas SET support_count = support_count - 1
	    WHERE id = p_idea RETURNING support_count INTO n;
	RETURN jsonb_build_object('supports', n);
END $$;

-- Which public status may follow which.
CREATE FUNCTION status_allowed(p_from text, p_to text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT (p_from, p_to) IN (
	    ('submitted', 'under_review'), ('submitted', 'not_feasible'),
	    ('submitted', 'duplicate'),
	    ('under_review', 'accepted'), ('under_review', 'not_feasible'),
	    ('under_review', 'duplicate'),
	    ('accepted', 'in_implementation'), ('accepted', 'not_feasible'),
	    ('in_implementation', 'implemented'),
	    ('in_implementation', 'not_feasible'),
	    -- A decision can be reopened, with a justification like any other.
	    ('not_feasible', 'under_review'), ('duplicate', 'under_review'))
$$;

CREATE FUNCTION idea_set_status(p_actor bigint, p_id bigint, p_status text,
    p_justification text, p_duplicate_of bigint, p_lang text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r	record;
BEGIN
	SELECT state, status INTO r FROM ideas WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM raise_client('status_idea', 'no such idea');
	END IF;
	IF r.state <> 'published' THEN
		PERFORM raise_client('status_unpublished',
		    'only published ideas have a public status');
	END IF;
	IF NOT status_allowed(r.status, p_status) THEN
		PERFORM raise_client('status_transition', format(
		    'cannot go from %s to %s', r.status, p_status));
	END IF;
	IF p_status = 'duplicate' AND NOT EXISTS (SELECT 1 FROM ideas WHERE
	    id = p_duplicate_of AND id <> p_id AND state = 'published') THEN
		PERFORM raise_client('status_duplicate',
		    'not another published idea');
	END IF;
	UPDATE ideas SET status = p_status, updated_at = now(),
	    duplicate_of = CASE WHEN p_status = 'duplicate' THEN
		p_duplicate_of END WHERE id = p_id;
	INSERT INTO idea_status_history (idea_id, status, justification,
	    duplicate_of, changed_by) VALUES (p_id, p_status, p_justification,
	    CASE WHEN p_status = 'duplicate' THEN p_duplicate_of END, p_actor);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_actor, 'idea.status', 'idea', p_id,
	    jsonb_build_object('from', r.status, 'to', p_status,
	    'justification', p_justification, 'duplicate_of', p_duplicate_of));
	RETURN idea_json(p_id, p_actor, true, p_lang);
END $$;

-- A board member's assessment: a score for every active criterion.
CREATE FUNCTION assess(p_member bigint, p_idea bigint, p_scores jsonb,
    p_comment text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM 1 FROM ideas WHERE id = p_idea AND state = 'published';
	IF NOT FOUND THEN
		PERFORM raise_client('assessment_idea', 'no such idea');
	END IF;
	IF (SELECT array_agg(slug ORDER BY slug) FROM criteria WHERE active)
	    IS DISTINCT FROM (SELECT array_agg(k ORDER BY k) FROM
	    jsonb_object_keys(p_scores) k) THEN
		PERFORM raise_client('assessment_criteria',
		    'needs one score for each criterion');
	END IF;
	INSERT INTO assessments (idea_id, member_id, comment)
	    VALUES (p_idea, p_member, p_comment)
	    ON CONFLICT (idea_id, member_id) DO UPDATE SET
	    comment = EXCLUDED.comment, submitted_at = now();
	DELETE FROM assessment_scores WHERE idea_id = p_idea AND
	    member_id = p_member;
	INSERT INTO assessment_scores (idea_id, member_id, criterion, score)
	    SELECT p_idea, p_member, key, value::smallint
	    FROM jsonb_each_text(p_scores);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_member, 'board.assess', 'idea', p_idea,
	    jsonb_build_object('scores', p_scores));
END $$;

-- One member's weighted mean of an idea, 0..3.
CREATE FUNCTION assessment_mean(p_idea bigint, p_member bigint)
RETURNS numeric LANGUAGE sql STABLE AS $$
	SELECT round(sum(s.score * c.weight) / sum(c.weight), 3)
	FROM assessment_scores s JOIN criteria c ON c.slug = s.criterion
	WHERE s.idea_id = p_idea AND s.member_id = p_member
$$;

-- What a member sees of an idea's assessments: the others' only after
-- submitting one's own, so the first judgement is independent.
CREATE FUNCTION assessments_json(p_idea bigint, p_member bigint,
    p_lang text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	WITH mine AS (SELECT * FROM assessments WHERE idea_id = p_idea AND
	    member_id = p_member),
	sheet AS (SELECT a.member_id, jsonb_build_object(
	    'member', (SELECT pseudonym FROM accounts WHERE id = a.member_id),
	    'comment', a.comment, 'submitted_at', a.submitted_at,
	    'weighted_mean', assessment_mean(a.idea_id, a.member_id),
	    'scores', (SELECT jsonb_object_agg(s.criterion, s.score) FROM
		assessment_scores s WHERE s.idea_id = a.idea_id AND
		s.member_id = a.member_id)) AS doc
	    FROM assessments a WHERE a.idea_id = p_idea)
	SELECT jsonb_build_object('idea_id', p_idea,
	    'criteria', (SELECT jsonb_agg(jsonb_build_object('slug', slug,
		'name', CASE WHEN p_lang = 'en' THEN name_en ELSE name_de END,
		'weight', weight) ORDER BY position) FROM criteria
		WHERE active),
	    'mine', (SELECT doc FROM sheet WHERE member_id = p_member),
	    'others_visible', EXISTS (SELECT 1 FROM mine),
	    'others', CASE WHEN EXISTS (SELECT 1 FROM mine) THEN
		coalesce((SELECT jsonb_agg(doc ORDER BY member_id) FROM sheet
		WHERE member_id <> p_member), '[]') END,
	    'weighted_mean', CASE WHEN EXISTS (SELECT 1 FROM mine) THEN
		(SELECT round(avg(assessment_mean(p_idea, member_id)), 3)
		FROM sheet) END,
	    'assessments', (SELECT count(*) FROM sheet))
	WHERE EXISTS (SELECT 1 FROM ideas WHERE id = p_idea AND
	    state = 'published')
$$;

-- The export of 003, now with what a person contributed.
CREATE OR REPLACE FUNCTION account_export(p_account bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'account', jsonb_build_object('id', a.id, 'pseudonym', a.pseudonym,
		'verified', a.verified_at IS NOT NULL,
		'verified_at', a.verified_at, 'created_at', a.created_at),
	    'roles', coalesce((SELECT jsonb_agg(jsonb_build_object('role', r.role,
		'department', d.slug, 'granted_at', r.granted_at)
		ORDER BY r.role) FROM account_roles r
		LEFT JOIN departments d ON d.id = r.department_id
		WHERE r.account_id = a.id), '[]'),
	    'sessions', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'id', s.id, 'kind', s.kind, 'user_agent', s.user_agent,
		'created_at', s.created_at, 'last_seen_at', s.last_seen_at,
		'expires_at', s.expires_at) ORDER BY s.id)
		FROM sessions s WHERE s.account_id = a.id), '[]'),
	    'ideas', coalesce((SELECT jsonb_agg(jsonb_build_object('id', i.id,
		'title', i.title, 'description', i.description,
		'field', (SELECT slug FROM fields WHERE id = i.field_id),
		'state', i.state, 'status', i.status, 'lat', i.lat,
		'lon', i.lon, 'created_at', i.created_at) ORDER BY i.id)
		FROM ideas i WHERE i.author_id = a.id), '[]'),
	    'comments', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'id', c.id, 'idea_id', c.idea_id, 'body', c.body,
		'state', c.state, 'created_at', c.created_at) ORDER BY c.id)
		FROM comments c WHERE c.author_id = a.id), '[]'),
	    'supports', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'idea_id', s.idea_id, 'created_at', s.created_at)
		ORDER BY s.idea_id) FROM supports s
		WHERE s.account_id = a.id), '[]'),
	    'flags', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'kind', f.kind, 'target_id', f.target_id, 'reason', f.reason,
		'note', f.note, 'created_at', f.created_at) ORDER BY f.id)
		FROM flags f WHERE f.account_id = a.id), '[]'),
	    'assessments', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'idea_id', x.idea_id, 'comment', x.comment,
		'submitted_at', x.submitted_at,
		'scores', (SELECT jsonb_object_agg(sc.criterion, sc.score)
		    FROM assessment_scores sc WHERE sc.idea_id = x.idea_id AND
		    sc.member_id = x.member_id)) ORDER BY x.idea_id)
		FROM assessments x WHERE x.member_id = a.id), '[]'),
	    'survey_responses', '[]'::jsonb,
	    'defect_reports', '[]'::jsonb)
	FROM accounts a WHERE a.id = p_account AND a.deleted_at IS NULL
$$;
