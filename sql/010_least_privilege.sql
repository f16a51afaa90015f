-- Board scores no longer live in the audit log (see assess()): remove the
-- copies written before, which moderators and admins could read.
UPDATE audit_log SET detail = detail - 'scores'
    WHERE action = 'board.assess';

-- Staff attribute a paper, phone or in-person contribution to an account
-- only with a code its owner made: an account id alone would let staff
-- put words under anyone's pseudonym and into their export.  Codes are
-- short-lived and single-use; at most one is live per account.
CREATE TABLE consent_codes (
	code		text PRIMARY KEY CHECK (code ~ '^[A-Z2-9]{8}$'),
	account_id	bigint NOT NULL UNIQUE REFERENCES accounts(id)
			    ON DELETE CASCADE,
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz,
	used_by		bigint REFERENCES accounts(id) ON DELETE SET NULL
);
CREATE INDEX consent_codes_expires ON consent_codes (expires_at);
