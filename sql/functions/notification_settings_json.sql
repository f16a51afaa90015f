-- A person's notification switches and the language of their mails, as
-- GET /api/v1/me/notifications answers them: the defaults (every kind
-- on, German) when they never changed anything.  NULL for an erased or
-- unknown account.
CREATE OR REPLACE FUNCTION notification_settings_json(p_account bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('lang', coalesce(s.lang, 'de'),
	    'idea_decision', coalesce(s.idea_decision, true),
	    'idea_status', coalesce(s.idea_status, true),
	    'comment_reply', coalesce(s.comment_reply, true),
	    'defect_status', coalesce(s.defect_status, true))
	FROM accounts a LEFT JOIN notification_settings s
	    ON s.account_id = a.id
	WHERE a.id = p_account AND a.deleted_at IS NULL
$$;
