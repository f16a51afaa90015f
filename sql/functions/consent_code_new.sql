-- A new consent code for p_account (made by the caller from random bytes),
-- replacing the account's previous one; sweeps long-expired codes.
CREATE OR REPLACE FUNCTION consent_code_new(p_account bigint, p_code text,
    p_seconds int) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	until	timestamptz := now() + make_interval(secs => p_seconds);
BEGIN
	DELETE FROM consent_codes WHERE account_id = p_account OR
	    expires_at < now() - interval '1 day';
	INSERT INTO consent_codes (code, account_id, expires_at)
	    VALUES (p_code, p_account, until);
	RETURN jsonb_build_object('code', p_code, 'expires_at', until);
END $$;
