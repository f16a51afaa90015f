-- An account's age band changed (by its owner, or cleared by erasure):
-- its participant rows in the 'g' scope move to the new band, in every
-- month.  Contributions in flight hold the account FOR SHARE
-- (stats_apply), so this UPDATE waits for them and they for it.
CREATE OR REPLACE FUNCTION stats_on_accounts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n USING (id)
	    WHERE o.age_band IS DISTINCT FROM n.age_band) THEN
		RETURN NULL;
	END IF;
	PERFORM stats_apply_people(ARRAY(
	    SELECT (s.month, 'g', m.key, s.account_id, m.refs)::stats_person
	    FROM old_rows o JOIN new_rows n USING (id)
		JOIN stats_people s ON s.account_id = n.id AND s.scope = 'g',
		LATERAL (VALUES (s.key, -s.refs),
		    (stats_key_age(n.age_band), s.refs)) m (key, refs)
	    WHERE o.age_band IS DISTINCT FROM n.age_band));
	RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER stats_accounts_update AFTER UPDATE ON accounts
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_accounts();
