-- Notifications by e-mail about one's own contributions (README
-- "Notifications").  One row per account that changed a switch or chose
-- a language; no row means every kind on, in German.  On by default
-- because these are transactional service messages about the person's
-- own contributions (their idea decided, its status, a reply to them, a
-- report they made), which German law allows without prior consent as
-- long as every mail offers an easy opt-out, and which the person expects
-- after contributing; newsletters or anything else would need opt-in.
CREATE TABLE notification_settings (
	account_id	bigint PRIMARY KEY REFERENCES accounts(id)
			    ON DELETE CASCADE,
	lang		text NOT NULL DEFAULT 'de' CHECK (lang IN ('de', 'en')),
	idea_decision	boolean NOT NULL DEFAULT true,
	idea_status	boolean NOT NULL DEFAULT true,
	comment_reply	boolean NOT NULL DEFAULT true,
	defect_status	boolean NOT NULL DEFAULT true,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- A notification is queued by a trigger in the transaction of its event,
-- where no key is at hand to seal it: such a row carries a notice (kind,
-- language, path, the item's words) instead, never an address.  The
-- mailer reads the address of the row's account when it delivers, so an
-- account erased meanwhile gets nothing.
ALTER TABLE outbox ALTER COLUMN sealed DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN notice jsonb;
ALTER TABLE outbox ADD CONSTRAINT outbox_sealed_or_notice
    CHECK ((sealed IS NULL) <> (notice IS NULL));
