-- The notifications' part of account_export: the switches and the
-- language of the mails (the defaults when never changed), and when they
-- were last changed.
CREATE OR REPLACE FUNCTION account_export_notifications(p_account bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('notifications',
	    notification_settings_json(p_account) || jsonb_build_object(
	    'updated_at', (SELECT updated_at FROM notification_settings
		WHERE account_id = p_account)))
$$;
