-- Queues a notification in the transaction of its event (README
-- "Notifications"): a notice, not sealed mail, since no key is at hand
-- here.  The mailer adds the address (read from the account when it
-- delivers), the unsubscribe link and the public address before p_path.
-- p_vars are the words the template needs, in the account's language.
CREATE OR REPLACE FUNCTION notify_account(p_account bigint, p_actor bigint,
    p_kind text, p_path text, p_vars jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT notify_wanted(p_account, p_actor, p_kind) THEN
		RETURN;
	END IF;
	INSERT INTO outbox (account_id, notice)
	VALUES (p_account, jsonb_build_object('kind', p_kind,
	    'lang', notify_lang(p_account), 'path', p_path, 'vars', p_vars));
	PERFORM pg_notify('outbox', '');
END $$;
