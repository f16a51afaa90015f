-- The moderation desk's list: one page of ideas and comments in a tab
-- ("review": waiting or hidden by flags; "flagged": published with open
-- flags, which stay below the auto-hide threshold and appear nowhere
-- else), filtered by kind, field, district and age, in one of three
-- orders, and the counts of every tab.
--
-- Paging is by keyset over the order's key (s1, s2, s3, s4): the flag
-- count (or 0), the creation time in microseconds, the kind (0 idea,
-- 1 comment) and the id, each negated for "newest".  p_after is the key
-- of the last row seen as "s1.s2.s3.s4" (checked by the caller).
CREATE OR REPLACE FUNCTION moderation_desk(p_tab text, p_kind text,
    p_state text, p_field text, p_district text, p_age int, p_sort text,
    p_after text, p_limit int, p_lang text)
RETURNS json LANGUAGE sql STABLE AS $$
WITH states AS (
	SELECT CASE p_state WHEN 'pending' THEN ARRAY['pending']
	    WHEN 'hidden' THEN ARRAY['hidden']
	    ELSE ARRAY['pending', 'hidden'] END AS s),
base AS (
	SELECT 0 AS k, i.id, i.created_at, i.field_id, i.district_id,
	    (SELECT count(*) FROM flags fl WHERE fl.kind = 'idea'
	    AND fl.target_id = i.id AND fl.resolved_at IS NULL) AS n
	FROM ideas i, states
	WHERE coalesce(p_kind, 'idea') = 'idea' AND CASE
	    WHEN p_tab = 'flagged' THEN i.state = 'published' AND EXISTS (
		SELECT 1 FROM flags fl WHERE fl.kind = 'idea'
		AND fl.target_id = i.id AND fl.resolved_at IS NULL)
	    ELSE i.state = ANY (states.s) END
	UNION ALL
	SELECT 1, c.id, c.created_at, i.field_id, i.district_id,
	    (SELECT count(*) FROM flags fl WHERE fl.kind = 'comment'
	    AND fl.target_id = c.id AND fl.resolved_at IS NULL)
	FROM comments c JOIN ideas i ON i.id = c.idea_id, states
	WHERE coalesce(p_kind, 'comment') = 'comment' AND CASE
	    WHEN p_tab = 'flagged' THEN c.state = 'published' AND EXISTS (
		SELECT 1 FROM flags fl WHERE fl.kind = 'comment'
		AND fl.target_id = c.id AND fl.resolved_at IS NULL)
	    ELSE c.state = ANY (states.s) END),
keyed AS (
	SELECT b.k, b.id, b.n,
	    CASE WHEN p_sort = 'flags' THEN -b.n ELSE 0 END AS s1,
	    (CASE WHEN p_sort = 'newest' THEN -1 ELSE 1 END) *
		(extract(epoch FROM b.created_at) * 1000000)::bigint AS s2,
	    (CASE WHEN p_sort = 'newest' THEN -1 ELSE 1 END) * b.k AS s3,
	    (CASE WHEN p_sort = 'newest' THEN -1 ELSE 1 END) * b.id AS s4
	FROM base b
	LEFT JOIN fields f ON f.id = b.field_id
	LEFT JOIN districts d ON d.id = b.district_id
	WHERE (p_field IS NULL OR f.slug = p_field)
	    AND (p_district IS NULL OR d.slug = p_district)
	    AND (p_age IS NULL OR b.created_at < now() - p_age * interval '1 day')),
page AS (
	SELECT * FROM keyed
	WHERE p_after IS NULL OR (s1, s2, s3, s4) > (
	    split_part(p_after, '.', 1)::bigint,
	    split_part(p_after, '.', 2)::bigint,
	    split_part(p_after, '.', 3)::bigint,
	    split_part(p_after, '.', 4)::bigint)
	ORDER BY s1, s2, s3, s4 LIMIT coalesce(p_limit, 50) + 1),
numbered AS (
	SELECT p.*, row_number() OVER (ORDER BY s1, s2, s3, s4) AS rn
	FROM page p)
SELECT json_build_object(
    'items', (SELECT coalesce(json_agg(moderation_desk_item(
	CASE WHEN x.k = 0 THEN 'idea' ELSE 'comment' END, x.id, p_lang)
	ORDER BY x.rn), '[]'::json) FROM numbered x
	WHERE x.rn <= coalesce(p_limit, 50)),
    'next', (SELECT x.s1 || '.' || x.s2 || '.' || x.s3 || '.' || x.s4
	FROM numbered x WHERE x.rn = coalesce(p_limit, 50)
	AND EXISTS (SELECT 1 FROM numbered y WHERE y.rn > x.rn)),
    'counts', moderation_desk_counts())
$$;
