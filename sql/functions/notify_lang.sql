-- The language of an account's mails: the one chosen with the
-- notification switches, else German (the city's language).
CREATE OR REPLACE FUNCTION notify_lang(p_account bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT lang FROM notification_settings
	    WHERE account_id = p_account), 'de')
$$;
