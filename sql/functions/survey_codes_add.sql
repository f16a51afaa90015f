-- Stores the keyed hashes of new single-use access codes of a survey
-- whose access mode is "codes"; returns how many were stored.
CREATE OR REPLACE FUNCTION survey_codes_add(p_survey bigint, p_by bigint,
    p_hashes bytea[]) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	acc	text;
	n	int;
BEGIN
	SELECT access INTO acc FROM surveys WHERE id = p_survey FOR SHARE;
	IF acc IS NULL THEN
		PERFORM raise_client('survey_missing', 'no such survey');
	END IF;
	IF acc <> 'codes' THEN
		PERFORM raise_client('survey_access_codes', 'not a codes survey');
	END IF;
	INSERT INTO survey_codes (survey_id, code_hash)
	    SELECT p_survey, h FROM unnest(p_hashes) h
	    ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS n = ROW_COUNT;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_by, 'survey.codes', 'survey', p_survey,
	    jsonb_build_object('count', n));
	RETURN n;
END $$;
