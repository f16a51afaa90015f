-- Someone must always be able to grant roles: removing the last admin
-- (by revoking the role or by erasing the account) fails.  The advisory lock
-- serialises concurrent removals, so two of them cannot each see the other's
-- admin still present and both succeed.

CREATE FUNCTION keep_last_admin() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(727319);
	IF NOT EXISTS (SELECT 1 FROM account_roles WHERE role = 'admin') THEN
		RAISE EXCEPTION 'the last administrator cannot lose the role'
		    USING ERRCODE = 'check_violation', CONSTRAINT = 'last_admin';
	END IF;
	RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER account_roles_last_admin
	AFTER DELETE OR UPDATE OF role ON account_roles
	DEFERRABLE INITIALLY IMMEDIATE
	FOR EACH ROW WHEN (OLD.role = 'admin')
	EXECUTE FUNCTION keep_last_admin();
