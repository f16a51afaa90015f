-- Everything the database holds about a person, for the GDPR export
-- (GET /api/v1/me/export; the address is added by src/accounts.c).
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
