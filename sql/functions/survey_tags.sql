-- Replaces a survey's tags (Handlungsfelder, districts, strategic goals)
-- by the slugs given; an unknown slug is refused by name.
CREATE OR REPLACE FUNCTION survey_tags(p_survey bigint, p_fields text[],
    p_districts text[], p_goals text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF (SELECT count(*) FROM fields WHERE slug = ANY (p_fields)) <>
	    (SELECT count(DISTINCT s) FROM unnest(p_fields) s) THEN
		PERFORM raise_client('survey_fields', 'unknown field');
	END IF;
	IF (SELECT count(*) FROM districts
	    WHERE slug = ANY (p_districts) AND active) <>
	    (SELECT count(DISTINCT s) FROM unnest(p_districts) s) THEN
		PERFORM raise_client('survey_districts', 'unknown or retired district');
	END IF;
	IF (SELECT count(*) FROM goals WHERE slug = ANY (p_goals)) <>
	    (SELECT count(DISTINCT s) FROM unnest(p_goals) s) THEN
		PERFORM raise_client('survey_goals', 'unknown goal');
	END IF;
	DELETE FROM survey_fields WHERE survey_id = p_survey;
	DELETE FROM survey_districts WHERE survey_id = p_survey;
	DELETE FROM survey_goals WHERE survey_id = p_survey;
	INSERT INTO survey_fields (survey_id, field_id)
	    SELECT p_survey, id FROM fields WHERE slug = ANY (p_fields);
	INSERT INTO survey_districts (survey_id, district_id)
	    SELECT p_survey, id FROM districts WHERE slug = ANY (p_districts);
	INSERT INTO survey_goals (survey_id, goal_id)
	    SELECT p_survey, id FROM goals WHERE slug = ANY (p_goals);
END $$;
