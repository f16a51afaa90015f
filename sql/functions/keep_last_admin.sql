-- Someone must always be able to grant roles: removing the last admin
-- (by revoking the role or by erasing the account) fails.  The advisory lock
-- serialises concurrent removals, so two of them cannot each see the other's
-- admin still present and both succeed.
CREATE OR REPLACE FUNCTION keep_last_admin() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(727319);
	IF NOT EXISTS (SELECT 1 FROM account_roles WHERE role = 'admin') THEN
		RAISE EXCEPTION 'the last administrator cannot lose the role'
		    USING ERRCODE = 'check_violation', CONSTRAINT = 'last_admin';
	END IF;
	RETURN NULL;
END $$;

-- The trigger lives here with its function: a versioned migration runs
-- before any function exists on a fresh database, so it cannot create a
-- trigger that calls one.  A constraint trigger has no CREATE OR REPLACE;
-- dropping and creating it in the one transaction of the repeatables
-- leaves no moment without it.
DROP TRIGGER IF EXISTS account_roles_last_admin ON account_roles;
CREATE CONSTRAINT TRIGGER account_roles_last_admin
	AFTER DELETE OR UPDATE OF role ON account_roles
	DEFERRABLE INITIALLY IMMEDIATE
	FOR EACH ROW WHEN (OLD.role = 'admin')
	EXECUTE FUNCTION keep_last_admin();
