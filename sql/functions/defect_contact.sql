-- What the server needs to seal a notification for a report: the
-- reporter's address ciphertext (their own or their account's) and the
-- status link's nonce; no row when no mail is wanted or possible.
CREATE OR REPLACE FUNCTION defect_contact(p_id bigint)
RETURNS TABLE (email_ct bytea, status_nonce bytea)
LANGUAGE sql STABLE AS $$
	SELECT coalesce(r.email_ct, a.email_ct), r.status_nonce
	FROM defect_reports r LEFT JOIN accounts a ON a.id = r.reporter_id
	    AND a.deleted_at IS NULL
	WHERE r.id = p_id AND r.notify AND
	    coalesce(r.email_ct, a.email_ct) IS NOT NULL
$$;
