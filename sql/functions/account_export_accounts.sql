-- The accounts' part of account_export: the account, its roles and its
-- sessions.
CREATE OR REPLACE FUNCTION account_export_accounts(p_account bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'account', jsonb_build_object('id', a.id, 'pseudonym', a.pseudonym,
		'verified', a.verified_at IS NOT NULL,
		'verified_at', a.verified_at, 'created_at', a.created_at,
		'age_band', a.age_band),
	    'roles', coalesce((SELECT jsonb_agg(jsonb_build_object('role', r.role,
		'department', d.slug, 'granted_at', r.granted_at)
		ORDER BY r.role) FROM account_roles r
		LEFT JOIN departments d ON d.id = r.department_id
		WHERE r.account_id = a.id), '[]'),
	    'sessions', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'id', s.id, 'kind', s.kind, 'user_agent', s.user_agent,
		'created_at', s.created_at, 'last_seen_at', s.last_seen_at,
		'expires_at', s.expires_at) ORDER BY s.id)
		FROM sessions s WHERE s.account_id = a.id), '[]'))
	FROM accounts a WHERE a.id = p_account
$$;
