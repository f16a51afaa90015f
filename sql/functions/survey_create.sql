-- A new survey, a draft; the definition was validated by the server.
CREATE OR REPLACE FUNCTION survey_create(p_by bigint, p_title text,
    p_definition jsonb, p_access text, p_results_public boolean,
    p_opens_at timestamptz, p_closes_at timestamptz, p_crosstab_a text,
    p_crosstab_b text, p_fields text[], p_districts text[], p_goals text[],
    p_lang text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	nid	bigint;
BEGIN
	INSERT INTO surveys (title, definition, access, results_public,
	    opens_at, closes_at, crosstab_a, crosstab_b, created_by)
	VALUES (p_title, p_definition, coalesce(p_access, 'account'),
	    coalesce(p_results_public, false), p_opens_at, p_closes_at,
	    p_crosstab_a, p_crosstab_b, p_by)
	RETURNING id INTO nid;
	PERFORM survey_tags(nid, p_fields, p_districts, p_goals);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_by, 'survey.create', 'survey', nid,
	    jsonb_build_object('title', p_title));
	RETURN survey_json(nid, p_lang, true, true);
END $$;
