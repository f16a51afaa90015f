-- Saves a signed-in respondent's unfinished answers (save and resume),
-- while the survey is open and they have not responded yet.
CREATE OR REPLACE FUNCTION survey_draft_save(p_survey bigint,
    p_respondent bytea, p_answers jsonb, p_page int) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	st	text;
	d	record;
BEGIN
	SELECT status INTO st FROM surveys WHERE id = p_survey FOR SHARE;
	IF st IS NULL OR st = 'draft' THEN
		PERFORM raise_client('survey_missing', 'no such survey');
	END IF;
	IF st <> 'open' THEN
		PERFORM raise_client('survey_not_open', 'not accepting');
	END IF;
	IF EXISTS (SELECT 1 FROM survey_responses WHERE survey_id = p_survey
	    AND respondent = p_respondent) THEN
		PERFORM raise_client('survey_response_once', 'answered');
	END IF;
	INSERT INTO survey_drafts AS x (survey_id, respondent, answers, page)
	VALUES (p_survey, p_respondent, p_answers, coalesce(p_page, 0))
	ON CONFLICT (survey_id, respondent) DO UPDATE SET
	    answers = excluded.answers, page = excluded.page,
	    updated_at = now()
	RETURNING x.answers, x.page, x.updated_at INTO d;
	RETURN jsonb_build_object('answers', d.answers, 'page', d.page,
	    'updated_at', d.updated_at);
END $$;
