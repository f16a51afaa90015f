-- Registration as one statement, answering nothing: the caller says 202 in
-- every case, so neither a known address nor a taken pseudonym shows.
-- A known address gets the "already registered" notice; a chosen
-- pseudonym that is taken is replaced by a random one and the verification
-- mail says so (mail_renamed), whoever holds the address.
-- p_lang, the language the person registered in, becomes the language of
-- their notification mails (notify_lang) until they choose another; no
-- row is stored for German, the default, so "no row" still means
-- "never changed anything".
DROP FUNCTION IF EXISTS account_register(text, bytea, bytea, text, bytea,
    bytea, bytea, bytea);
CREATE OR REPLACE FUNCTION account_register(p_pseudonym text,
    p_lookup bytea, p_email_ct bytea, p_hash text, p_mail_new bytea,
    p_mail_renamed bytea, p_mail_existing bytea, p_token bytea,
    p_lang text)
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	new_id	bigint;
	mail	bytea := p_mail_new;
BEGIN
	BEGIN
		INSERT INTO accounts (pseudonym, email_lookup, email_ct,
		    password_hash)
		VALUES (coalesce(p_pseudonym, pseudonym_new()), p_lookup,
		    p_email_ct, p_hash)
		ON CONFLICT (email_lookup) DO NOTHING RETURNING id INTO new_id;
	EXCEPTION WHEN unique_violation THEN
		-- The address conflict is absorbed above: this is the pseudonym.
		INSERT INTO accounts (pseudonym, email_lookup, email_ct,
		    password_hash)
		VALUES (pseudonym_new(), p_lookup, p_email_ct, p_hash)
		ON CONFLICT (email_lookup) DO NOTHING RETURNING id INTO new_id;
		mail := p_mail_renamed;
	END;
	IF new_id IS NULL THEN
		INSERT INTO outbox (account_id, sealed)
		SELECT a.id, p_mail_existing FROM accounts a
		WHERE a.email_lookup = p_lookup AND a.deleted_at IS NULL;
	ELSE
		INSERT INTO account_tokens (token_hash, account_id, purpose,
		    expires_at)
		VALUES (p_token, new_id, 'verify', now() + interval '48 hours');
		INSERT INTO outbox (account_id, sealed) VALUES (new_id, mail);
		IF p_lang IS DISTINCT FROM 'de' THEN
			INSERT INTO notification_settings (account_id, lang)
			VALUES (new_id, p_lang);
		END IF;
	END IF;
	PERFORM pg_notify('outbox', '');
END $$;
