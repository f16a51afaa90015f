-- A pseudonym given up (changed away from, or replaced at erasure) stays
-- reserved for its former owner until the retention sweep removes the row
-- (MITWIRKEN_RETAIN_PSEUDONYMS_DAYS): no one else can appear under a name
-- readers know and be taken for the person who used it.  The trigger that
-- fills and checks it lives in sql/functions/pseudonym_reserve.sql.
CREATE TABLE pseudonyms_released (
	pseudonym	text PRIMARY KEY,
	account_id	bigint NOT NULL REFERENCES accounts(id)
			    ON DELETE CASCADE,
	released_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pseudonyms_released_at ON pseudonyms_released (released_at);
