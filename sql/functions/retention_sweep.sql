-- Retention (README "Security", "Retention"; GDPR Art. 5(1)(e)): deletes
-- what is no longer needed once its period has passed.  The mailer calls
-- it on start and periodically with the periods from its environment.
-- Returns one row per kind with the number deleted (nothing identifying).
DROP FUNCTION IF EXISTS retention_sweep(interval, interval, interval,
    interval, interval, interval);
DROP FUNCTION IF EXISTS retention_sweep(interval, interval, interval,
    interval, interval, interval, interval);
CREATE OR REPLACE FUNCTION retention_sweep(p_sessions interval,
    p_tokens interval, p_mail interval, p_idempotency interval,
    p_counters interval, p_unverified interval, p_pseudonyms interval,
    p_defect_contact interval)
RETURNS TABLE (what text, deleted bigint)
LANGUAGE plpgsql AS $$
DECLARE
	n	bigint;
	acct	record;
BEGIN
	-- Expired sessions, and with them the user agents they recorded.
	DELETE FROM sessions WHERE expires_at < now() - p_sessions;
	GET DIAGNOSTICS n = ROW_COUNT;
	what := 'sessions'; deleted := n; RETURN NEXT;

	-- Verification and reset tokens once used or expired.
	DELETE FROM account_tokens
	    WHERE used_at < now() - p_tokens OR expires_at < now() - p_tokens;
	GET DIAGNOSTICS n = ROW_COUNT;
	what := 'tokens'; deleted := n; RETURN NEXT;

	-- Sent mail, and mail that could not be delivered for the whole
	-- period: the links in it have expired by then.
	DELETE FROM outbox WHERE coalesce(sent_at, created_at) < now() - p_mail;
	GET DIAGNOSTICS n = ROW_COUNT;
	what := 'mails'; deleted := n; RETURN NEXT;

	DELETE FROM idempotency_keys WHERE created_at < now() - p_idempotency;
	GET DIAGNOSTICS n = ROW_COUNT;
	what := 'idempotency keys'; deleted := n; RETURN NEXT;

	-- Counters keyed by client address or account: personal data.
	DELETE FROM login_failures WHERE window_start < now() - p_counters;
	GET DIAGNOSTICS n = ROW_COUNT;
	DELETE FROM submission_counts WHERE window_start < now() - p_counters;
	GET DIAGNOSTICS deleted = ROW_COUNT;
	deleted := deleted + n;
	DELETE FROM anon_limits WHERE window_start < now() - p_counters;
	GET DIAGNOSTICS n = ROW_COUNT;
	what := 'counters'; deleted := deleted + n; RETURN NEXT;

	-- Consent codes once used or expired: who entered for whom is in the
	-- contribution itself; the code is of no use after that.
	DELETE FROM consent_codes
	    WHERE used_at < now() - p_tokens OR expires_at < now() - p_tokens;
	GET DIAGNOSTICS n = ROW_COUNT;
	what := 'consent codes'; deleted := n; RETURN NEXT;

	-- Released pseudonyms: free for anyone once their period is over.
	DELETE FROM pseudonyms_released WHERE released_at < now() - p_pseudonyms;
	GET DIAGNOSTICS n = ROW_COUNT;
	what := 'released pseudonyms'; deleted := n; RETURN NEXT;

	-- An anonymous reporter's address and Open311 contact details, once
	-- the report has been closed for the period (longer than the window
	-- to reopen it): no more news will come.
	UPDATE defect_reports SET email_lookup = NULL, email_ct = NULL,
	    contact_ct = NULL, notify = false
	    WHERE closed_at < now() - p_defect_contact AND (email_ct IS NOT NULL
	    OR contact_ct IS NOT NULL);
	GET DIAGNOSTICS n = ROW_COUNT;
	what := 'defect reporter contacts'; deleted := n; RETURN NEXT;

	-- Accounts never verified: wholly, with what refers to them.  One at
	-- a time, so an account that did contribute (possible with
	-- MITWIRKEN_REQUIRE_VERIFIED=0) stays instead of stopping the sweep.
	deleted := 0;
	FOR acct IN SELECT id, email_lookup FROM accounts
	    WHERE verified_at IS NULL AND deleted_at IS NULL
	    AND created_at < now() - p_unverified ORDER BY id LIMIT 1000 LOOP
		BEGIN
			DELETE FROM outbox WHERE account_id = acct.id;
			DELETE FROM login_failures
			    WHERE key = 'a:' || encode(acct.email_lookup, 'hex');
			DELETE FROM idempotency_keys WHERE scope = 'a:' || acct.id;
			DELETE FROM accounts WHERE id = acct.id;
			deleted := deleted + 1;
		EXCEPTION WHEN foreign_key_violation THEN
			NULL;
		END;
	END LOOP;
	what := 'unverified accounts'; RETURN NEXT;
END $$;
