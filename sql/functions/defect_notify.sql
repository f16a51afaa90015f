-- Queues the reporter's mail (sealed by the server) if they asked for
-- mail and an address is still there: an anonymous reporter's own, or
-- their account's.
CREATE OR REPLACE FUNCTION defect_notify(r defect_reports, p_mail bytea)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF p_mail IS NULL OR NOT r.notify THEN
		RETURN;
	END IF;
	IF r.email_ct IS NULL AND NOT EXISTS (SELECT 1 FROM accounts a WHERE
	    a.id = r.reporter_id AND a.deleted_at IS NULL) THEN
		RETURN;
	END IF;
	INSERT INTO outbox (account_id, sealed) VALUES (r.reporter_id, p_mail);
	PERFORM pg_notify('outbox', '');
END $$;
