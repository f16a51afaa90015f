-- Everything the database holds about a person, for the GDPR export
-- (GET /api/v1/me/export; the address is added by src/accounts.c).  One
-- function per capability exports its part, keyed by what it holds; a new
-- capability adds its account_export_<capability>.sql and one line here,
-- in place of its empty list below.  Survey responses are found by the
-- person's per-survey pseudonyms (p_respondents, see survey_pseudonyms()),
-- which only the server can compute.  NULL for an erased or unknown
-- account.
DROP FUNCTION IF EXISTS account_export(bigint);
DROP FUNCTION IF EXISTS account_export(bigint, bytea[]);
CREATE OR REPLACE FUNCTION account_export(p_account bigint,
    p_respondents text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT account_export_accounts(a.id) ||
	    account_export_ideas(a.id) ||
	    account_export_surveys(p_respondents) ||
	    account_export_defects(a.id) ||
	    account_export_projects(a.id) ||
	    account_export_notifications(a.id)
	FROM accounts a WHERE a.id = p_account AND a.deleted_at IS NULL
$$;
