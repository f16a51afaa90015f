-- Replaces a survey's definition and settings.  The server compared the
-- new definition with the stored one of version p_checked (names and
-- choice values frozen once responses exist, p_had_responses); if the
-- survey changed since, or its first response arrived meanwhile, the
-- check no longer holds: 409, and the client sends again.  The
-- cross-tabulation's pair is fixed once responses exist (409).  p_version is
-- the client's own expectation (optimistic concurrency), NULL for none.
CREATE OR REPLACE FUNCTION survey_update(p_id bigint, p_by bigint,
    p_version int, p_checked int, p_had_responses boolean, p_title text,
    p_definition jsonb, p_access text, p_results_public boolean,
    p_opens_at timestamptz, p_closes_at timestamptz, p_crosstab_a text,
    p_crosstab_b text, p_fields text[], p_districts text[], p_goals text[],
    p_lang text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v	int;
BEGIN
	SELECT version INTO v FROM surveys WHERE id = p_id FOR UPDATE;
	IF v IS NULL THEN
		PERFORM raise_client('survey_missing', 'no such survey');
	END IF;
	IF p_version IS NOT NULL AND p_version <> v THEN
		PERFORM raise_client('survey_version', 'changed meanwhile');
	END IF;
	IF v <> p_checked OR (NOT p_had_responses AND EXISTS (SELECT 1 FROM
	    survey_responses WHERE survey_id = p_id)) THEN
		PERFORM raise_client('survey_changed', 'changed meanwhile');
	END IF;
	-- The cross-table is counted as responses arrive ("x" tallies): with
	-- responses stored, another pair would mix two tables in one.
	IF EXISTS (SELECT 1 FROM survey_responses WHERE survey_id = p_id) AND
	    EXISTS (SELECT 1 FROM surveys WHERE id = p_id AND
	    (crosstab_a, crosstab_b) IS DISTINCT FROM
	    (p_crosstab_a, p_crosstab_b)) THEN
		PERFORM raise_client('survey_crosstab_frozen',
		    'the cross-tabulation is fixed once responses exist');
	END IF;
	UPDATE surveys SET title = p_title, definition = p_definition,
	    access = coalesce(p_access, 'account'),
	    results_public = coalesce(p_results_public, false),
	    opens_at = p_opens_at, closes_at = p_closes_at,
	    crosstab_a = p_crosstab_a, crosstab_b = p_crosstab_b,
	    updated_at = now(), version = version + 1
	    WHERE id = p_id;
	PERFORM survey_tags(p_id, p_fields, p_districts, p_goals);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_by, 'survey.update', 'survey', p_id,
	    jsonb_build_object('version', v + 1));
	RETURN survey_json(p_id, p_lang, true, true);
END $$;
