-- One row of the moderation desk: what a moderator needs to decide
-- without opening the item (field, district, time, flags), its full text
-- for the expandable part (and its start, which the desk's list shows),
-- and its author as the public sees them.
CREATE OR REPLACE FUNCTION moderation_desk_item(p_kind text, p_id bigint,
    p_lang text)
RETURNS json LANGUAGE sql STABLE AS $$
	SELECT json_build_object('kind', p_kind, 'id', x.id,
	    'title', x.title, 'text', x.body,
	    -- The list shows the start; the item's page has all of it.
	    'excerpt', left(x.body, 400), 'more', length(x.body) > 400,
	    'headline', coalesce(x.title,
		left(split_part(x.body, E'\n', 1), 80)), 'idea_id', i.id,
	    'idea_title', i.title, 'state', x.state, 'channel', x.channel,
	    'author', author_json(x.author_id, x.channel),
	    'field', f.slug, 'field_name', CASE WHEN p_lang = 'en' THEN
		f.name_en ELSE f.name_de END,
	    'district', d.slug, 'district_name', d.name,
	    'created_at', x.created_at,
	    'reason', x.reason, 'reason_text', x.reason_text,
	    'flag_count', (SELECT count(*) FROM flags fl WHERE
		fl.kind = p_kind AND fl.target_id = x.id
		AND fl.resolved_at IS NULL),
	    'flags', (SELECT coalesce(json_object_agg(r.reason, r.n), '{}')
		FROM (SELECT fl.reason, count(*) AS n FROM flags fl
		WHERE fl.kind = p_kind AND fl.target_id = x.id
		AND fl.resolved_at IS NULL GROUP BY fl.reason) r))
	FROM (SELECT id, title, description AS body, state, channel,
		author_id, created_at, reason, reason_text, id AS idea_id
		FROM ideas WHERE p_kind = 'idea' AND id = p_id
	    UNION ALL
	    SELECT id, NULL, body, state, channel, author_id, created_at,
		reason, reason_text, idea_id
		FROM comments WHERE p_kind = 'comment' AND id = p_id) x
	JOIN ideas i ON i.id = x.idea_id
	JOIN fields f ON f.id = i.field_id
	LEFT JOIN districts d ON d.id = i.district_id
$$;
