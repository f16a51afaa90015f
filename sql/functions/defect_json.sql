-- A defect report as a viewer may see it.  Everyone sees where it is, its
-- category, routing, status with the public notes and the supports; the
-- description, the reporter's messages and photos once a moderator
-- published them.  p_staff (department staff, moderators, admins) and
-- p_owner (the reporter, by account or status link) see them before.
-- Nobody sees an e-mail address or contact details here.
CREATE OR REPLACE FUNCTION defect_json(p_id bigint, p_staff boolean,
    p_owner boolean, p_lang text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'id', r.id,
	    'category', jsonb_build_object('code', c.code, 'name',
		CASE WHEN p_lang = 'en' THEN c.name_en ELSE c.name_de END),
	    'department', jsonb_build_object('slug', dp.slug, 'name',
		CASE WHEN p_lang = 'en' THEN dp.name_en ELSE dp.name_de END),
	    'status', r.status,
	    'location', CASE WHEN r.lat IS NOT NULL THEN
		jsonb_build_object('lat', r.lat, 'lon', r.lon) END,
	    'address', r.address,
	    'district', (SELECT jsonb_build_object('slug', d.slug, 'name',
		d.name) FROM districts d WHERE d.id = r.district_id),
	    'description', CASE WHEN r.state = 'published' OR p_staff OR
		p_owner THEN r.description END,
	    'attributes', r.attributes,
	    'state', r.state,
	    'moderation', CASE WHEN p_staff OR p_owner THEN
		jsonb_build_object('reason', r.reason, 'reason_label',
		(SELECT CASE WHEN p_lang = 'en' THEN m.label_en ELSE
		    m.label_de END FROM moderation_reasons m
		    WHERE m.slug = r.reason),
		'explanation', r.reason_text) END,
	    'channel', r.channel,
	    'mine', p_owner,
	    'duplicate_of', r.duplicate_of,
	    'forwarded_to', r.forwarded_to,
	    'supports', r.support_count,
	    'reopened', r.reopened_count,
	    'overdue', defect_overdue(r, c),
	    'photos', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		'id', ph.id, 'position', ph.position, 'state', ph.state,
		'width', ph.width, 'height', ph.height,
		'thumb_width', ph.thumb_width, 'thumb_height', ph.thumb_height,
		'blurred', ph.blurred,
		'url', '/api/v1/defects/' || r.id || '/photos/' || ph.position,
		'thumb_url', '/api/v1/defects/' || r.id || '/photos/' ||
		    ph.position || '?size=thumb') ORDER BY ph.position), '[]')
		FROM defect_photos ph WHERE ph.report_id = r.id AND
		(ph.state = 'published' OR ((p_staff OR p_owner) AND
		ph.state = 'pending'))),
	    'history', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		'status', h.status, 'note', h.note, 'by', h.actor_kind,
		'department', hd.slug, 'at', h.at) ORDER BY h.id), '[]')
		FROM defect_history h JOIN departments hd
		ON hd.id = h.department_id WHERE h.report_id = r.id),
	    'messages', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		'id', m.id, 'sender', m.sender, 'body', m.body,
		'state', m.state, 'at', m.created_at) ORDER BY m.id), '[]')
		FROM defect_messages m WHERE m.report_id = r.id AND
		(m.state = 'published' OR ((p_staff OR p_owner) AND
		m.state = 'pending'))),
	    'created_at', r.created_at, 'updated_at', r.updated_at,
	    'acknowledged_at', r.acknowledged_at, 'closed_at', r.closed_at,
	    'confirmed_at', r.confirmed_at,
	    'url', '/maengel/' || r.id)
	FROM defect_reports r
	JOIN defect_categories c ON c.id = r.category_id
	JOIN departments dp ON dp.id = r.department_id
	WHERE r.id = p_id
$$;
