-- Keeps released pseudonyms reserved (sql/012_pseudonym_reserve.sql).  A
-- reserved name is refused to anyone but its former owner as if it were
-- taken (the same constraint name, so PATCH /api/v1/me answers 409 and
-- registration swaps it for a random one).  The advisory lock per name
-- orders a release and a claim of the same name: without it the claim
-- could pass the check before the release commits.
CREATE OR REPLACE FUNCTION pseudonym_reserve() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.pseudonym = OLD.pseudonym THEN
		RETURN NEW;
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('pseudonym:' || NEW.pseudonym));
	IF EXISTS (SELECT 1 FROM pseudonyms_released
	    WHERE pseudonym = NEW.pseudonym AND account_id <> NEW.id) THEN
		RAISE EXCEPTION 'pseudonym % is reserved', NEW.pseudonym
		    USING ERRCODE = 'unique_violation',
		    CONSTRAINT = 'accounts_pseudonym_key';
	END IF;
	DELETE FROM pseudonyms_released WHERE pseudonym = NEW.pseudonym;
	IF TG_OP = 'UPDATE' THEN
		PERFORM pg_advisory_xact_lock(
		    hashtext('pseudonym:' || OLD.pseudonym));
		INSERT INTO pseudonyms_released (pseudonym, account_id)
		VALUES (OLD.pseudonym, OLD.id)
		ON CONFLICT (pseudonym) DO UPDATE
		    SET account_id = EXCLUDED.account_id, released_at = now();
	END IF;
	RETURN NEW;
END $$;

-- Here with its function, as keep_last_admin's trigger: a versioned
-- migration runs before any function exists on a fresh database.
DROP TRIGGER IF EXISTS accounts_pseudonym_reserve ON accounts;
CREATE TRIGGER accounts_pseudonym_reserve
    BEFORE INSERT OR UPDATE OF pseudonym ON accounts
    FOR EACH ROW EXECUTE FUNCTION pseudonym_reserve();
