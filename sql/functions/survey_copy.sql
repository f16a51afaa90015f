-- A new draft with another survey's definition, settings and tags; its
-- responses, codes and drafts stay behind.
CREATE OR REPLACE FUNCTION survey_copy(p_id bigint, p_by bigint,
    p_lang text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	nid	bigint;
BEGIN
	INSERT INTO surveys (title, definition, access, results_public,
	    opens_at, closes_at, crosstab_a, crosstab_b, created_by)
	SELECT left(title || ' (Kopie)', 300), definition, access,
	    results_public, NULL, NULL, crosstab_a, crosstab_b, p_by
	FROM surveys WHERE id = p_id
	RETURNING id INTO nid;
	IF nid IS NULL THEN
		PERFORM raise_client('survey_missing', 'no such survey');
	END IF;
	INSERT INTO survey_fields SELECT nid, field_id FROM survey_fields
	    WHERE survey_id = p_id;
	INSERT INTO survey_districts SELECT nid, district_id
	    FROM survey_districts WHERE survey_id = p_id;
	INSERT INTO survey_goals SELECT nid, goal_id FROM survey_goals
	    WHERE survey_id = p_id;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_by, 'survey.copy', 'survey', nid,
	    jsonb_build_object('from', p_id));
	RETURN survey_json(nid, p_lang, true, true);
END $$;
