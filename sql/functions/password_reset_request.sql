-- A reset request does the same work for every address: one outbox row
-- (the link for an account, a notice without a link for an unknown
-- address) and one notification, in one statement.  An account holds at
-- most one live reset token; a new request replaces it, so only the newest
-- link works.
CREATE OR REPLACE FUNCTION password_reset_request(p_lookup bytea,
    p_token bytea, p_mail bytea, p_mail_unknown bytea)
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	acct	bigint;
BEGIN
	SELECT id INTO acct FROM accounts
	WHERE email_lookup = p_lookup AND deleted_at IS NULL;
	IF acct IS NULL THEN
		INSERT INTO outbox (account_id, sealed)
		VALUES (NULL, p_mail_unknown);
	ELSE
		INSERT INTO account_tokens AS t (token_hash, account_id,
		    purpose, expires_at)
		VALUES (p_token, acct, 'reset', now() + interval '60 minutes')
		ON CONFLICT (account_id) WHERE purpose = 'reset'
		    AND used_at IS NULL
		DO UPDATE SET token_hash = excluded.token_hash,
		    created_at = now(), expires_at = excluded.expires_at;
		INSERT INTO outbox (account_id, sealed) VALUES (acct, p_mail);
	END IF;
	PERFORM pg_notify('outbox', '');
END $$;
