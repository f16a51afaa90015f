-- Comments come in pages.  A popular idea gathers hundreds of comments,
-- and a moderator also sees every pending one: rendering them all made
-- the idea's page take 600 ms and megabytes under the 2,800 comments a
-- make scan leaves on one idea.  A page is 50 top-level comments (each
-- with its replies), oldest first, after a comment id; the idea carries
-- its first page, GET /api/v1/ideas/{id}/comments the others.

-- A comment's replies were found by scanning the idea's comments once
-- per comment.
CREATE INDEX comments_parent ON comments (parent_id, id)
	WHERE parent_id IS NOT NULL;

-- Who may see an idea at all: the one rule for idea_json and its pages.
CREATE FUNCTION idea_visible(i ideas, p_viewer bigint, p_moderator boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT i.state = 'published' OR p_moderator OR
	    (p_viewer IS NOT NULL AND (i.author_id = p_viewer OR
	    i.entered_by = p_viewer))
$$;

-- Who may see a comment (within an idea they may see).
CREATE FUNCTION comment_visible(c comments, p_viewer bigint,
    p_moderator boolean) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT c.state = 'published' OR p_moderator OR
	    coalesce(c.author_id = p_viewer, false)
$$;

-- One page of an idea's comments: {comments, comments_next, comments_total}.
-- comments_next is the id to ask for the next page after, or null on the
-- last page; comments_total counts every comment the viewer may see,
-- replies included.
CREATE FUNCTION comment_page(p_idea bigint, p_viewer bigint,
    p_moderator boolean, p_after bigint, p_limit int) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	WITH page AS (
		SELECT c.id FROM comments c
		WHERE c.idea_id = p_idea AND c.parent_id IS NULL AND
		    c.id > p_after AND comment_visible(c, p_viewer, p_moderator)
		ORDER BY c.id LIMIT p_limit + 1
	), shown AS (
		SELECT id FROM page ORDER BY id LIMIT p_limit
	)
	SELECT jsonb_build_object(
	    'comments', coalesce((SELECT jsonb_agg(comment_json(s.id,
		p_viewer, p_moderator) ORDER BY s.id) FROM shown s), '[]'),
	    'comments_next', CASE WHEN (SELECT count(*) FROM page) > p_limit
		THEN (SELECT max(id) FROM shown) END,
	    'comments_total', (SELECT count(*) FROM comments c
		LEFT JOIN comments p ON p.id = c.parent_id
		WHERE c.idea_id = p_idea AND
		    comment_visible(c, p_viewer, p_moderator) AND
		    (p.id IS NULL OR comment_visible(p, p_viewer,
		    p_moderator))))
$$;

-- As idea_json in 005, with one page of comments, after comment
-- p_comments_after (0: the first), in place of all of them.
CREATE FUNCTION idea_json(p_id bigint, p_viewer bigint, p_moderator boolean,
    p_lang text, p_comments_after bigint) RETURNS jsonb
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
	    'created_at', i.created_at, 'published_at', i.published_at) ||
	    comment_page(i.id, p_viewer, p_moderator, p_comments_after, 50)
	FROM ideas i JOIN fields f ON f.id = i.field_id
	WHERE i.id = p_id AND idea_visible(i, p_viewer, p_moderator)
$$;

-- The idea with its first page of comments, for every caller from 005.
CREATE OR REPLACE FUNCTION idea_json(p_id bigint, p_viewer bigint,
    p_moderator boolean, p_lang text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT idea_json(p_id, p_viewer, p_moderator, p_lang, 0)
$$;
