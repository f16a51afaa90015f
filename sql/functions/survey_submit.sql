-- Stores one response and counts it, in one transaction.
--
-- The server validated the answers against the definition of version
-- p_version and computed the respondent's pseudonym (p_kind: 'a' account,
-- 'c' access code, 'b' browser token, 'p' a paper form's random token)
-- and the tally keys, a JSON array of [kind, question, item, value]
-- (results_tallies in src/lib/results.c).  Here: the survey must be open,
-- inside its time window, at the version checked, and take this kind of
-- respondent; an access code is used up; a second response of the same
-- respondent is refused (survey_response_once: 409).  The survey row is
-- share-locked, so no definition change can slip between the check and
-- the insert.  Tally keys are upserted in sorted order, so concurrent
-- responses lock the same rows in the same order and cannot deadlock.
CREATE OR REPLACE FUNCTION survey_submit(p_survey bigint, p_version int,
    p_respondent bytea, p_kind text, p_code_hash bytea, p_account bigint,
    p_consent text, p_staff bigint, p_channel text, p_district text,
    p_answers jsonb, p_keys jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	s	record;
	did	smallint;
	rid	bigint;
	at	timestamptz;
	day	text;
BEGIN
	SELECT status, version, access, opens_at, closes_at INTO s
	    FROM surveys WHERE id = p_survey FOR SHARE;
	IF NOT FOUND OR s.status = 'draft' THEN
		PERFORM raise_client('survey_missing', 'no such survey');
	END IF;
	IF s.status <> 'open' OR (s.opens_at IS NOT NULL AND
	    now() < s.opens_at) OR (s.closes_at IS NOT NULL AND
	    now() >= s.closes_at) THEN
		PERFORM raise_client('survey_not_open', 'not accepting');
	END IF;
	IF s.version <> p_version THEN
		PERFORM raise_client('survey_changed', 'changed meanwhile');
	END IF;
	IF NOT (p_kind = 'p' OR
	    (s.access = 'account' AND p_kind = 'a') OR
	    (s.access = 'codes' AND (p_kind = 'c' OR
		(p_kind = 'a' AND p_staff IS NOT NULL))) OR
	    (s.access = 'open' AND p_kind IN ('a', 'b'))) THEN
		PERFORM raise_client('survey_access', 'wrong kind');
	END IF;
	IF p_consent IS NOT NULL AND
	    consent_take(p_consent, p_staff) IS DISTINCT FROM p_account THEN
		PERFORM raise_client('consent_code', 'changed meanwhile');
	END IF;
	IF p_kind = 'c' THEN
		UPDATE survey_codes SET used_at = now()
		    WHERE survey_id = p_survey AND code_hash = p_code_hash AND
		    used_at IS NULL;
		IF NOT FOUND THEN
			IF EXISTS (SELECT 1 FROM survey_codes WHERE
			    survey_id = p_survey AND code_hash = p_code_hash)
			THEN
				PERFORM raise_client('survey_response_once',
				    'code used');
			END IF;
			PERFORM raise_client('survey_code', 'unknown code');
		END IF;
	END IF;
	IF p_district IS NOT NULL THEN
		SELECT id INTO did FROM districts
		    WHERE slug = p_district AND active;
		IF did IS NULL THEN
			PERFORM raise_client('survey_district',
			    'unknown or retired district');
		END IF;
	END IF;
	INSERT INTO survey_responses (survey_id, respondent, channel,
	    district_id, answers)
	VALUES (p_survey, p_respondent, p_channel, did, p_answers)
	ON CONFLICT ON CONSTRAINT survey_response_once DO NOTHING
	RETURNING id, submitted_at INTO rid, at;
	IF rid IS NULL THEN
		PERFORM raise_client('survey_response_once', 'answered');
	END IF;
	-- Responses per day, in the city's time zone.
	day := to_char(at AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD');
	INSERT INTO survey_tallies AS t (survey_id, kind, question, item,
	    value, channel, district_id, n)
	SELECT p_survey, k.kind::"char", k.question, k.item, k.value,
	    p_channel, coalesce(did, 0), count(*)
	FROM (SELECT e->>0 AS kind, e->>1 AS question, e->>2 AS item,
	    e->>3 AS value FROM jsonb_array_elements(p_keys ||
	    jsonb_build_array(jsonb_build_array('d', '', '', day))) e) k
	GROUP BY k.kind, k.question, k.item, k.value
	ORDER BY k.kind, k.question, k.item, k.value
	ON CONFLICT (survey_id, kind, question, item, value, channel,
	    district_id) DO UPDATE SET n = t.n + excluded.n;
	DELETE FROM survey_drafts WHERE survey_id = p_survey AND
	    respondent = p_respondent;
	RETURN jsonb_build_object('id', rid, 'survey_id', p_survey,
	    'channel', p_channel, 'district', p_district,
	    'submitted_at', at);
END $$;
