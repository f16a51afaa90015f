-- Changes the switches present in p_values (kind → boolean, and "lang"),
-- keeping the others; the server has checked their types.  Used by the
-- profile page, PATCH /api/v1/me/notifications and the unsubscribe link.
-- Returns the settings as notification_settings_json does; NULL (and
-- nothing stored) for an erased or unknown account.
CREATE OR REPLACE FUNCTION notification_settings_set(p_account bigint,
    p_values jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO notification_settings AS s (account_id, lang,
	    idea_decision, idea_status, comment_reply, defect_status)
	SELECT a.id, coalesce(p_values->>'lang', 'de'),
	    coalesce((p_values->>'idea_decision')::boolean, true),
	    coalesce((p_values->>'idea_status')::boolean, true),
	    coalesce((p_values->>'comment_reply')::boolean, true),
	    coalesce((p_values->>'defect_status')::boolean, true)
	FROM accounts a WHERE a.id = p_account AND a.deleted_at IS NULL
	ON CONFLICT (account_id) DO UPDATE SET
	    lang = coalesce(p_values->>'lang', s.lang),
	    idea_decision = coalesce((p_values->>'idea_decision')::boolean,
		s.idea_decision),
	    idea_status = coalesce((p_values->>'idea_status')::boolean,
		s.idea_status),
	    comment_reply = coalesce((p_values->>'comment_reply')::boolean,
		s.comment_reply),
	    defect_status = coalesce((p_values->>'defect_status')::boolean,
		s.defect_status),
	    updated_at = now();
	RETURN notification_settings_json(p_account);
END $$;
