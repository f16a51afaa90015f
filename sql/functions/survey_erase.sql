-- Erasure's part for surveys: drafts are deleted; responses stay in the
-- results but are unlinked, their respondent replaced by random bytes, so
-- that the pseudonym computed from the account no longer finds them.
DROP FUNCTION IF EXISTS survey_erase(bytea[]);
CREATE OR REPLACE FUNCTION survey_erase(p_respondents text) RETURNS void
LANGUAGE sql AS $$
	DELETE FROM survey_drafts d USING survey_pseudonyms(p_respondents) p
	    WHERE d.survey_id = p.survey_id AND d.respondent = p.respondent;
	UPDATE survey_responses r SET respondent = decode(
	    replace(gen_random_uuid()::text || gen_random_uuid()::text,
	    '-', ''), 'hex')
	    FROM survey_pseudonyms(p_respondents) p
	    WHERE r.survey_id = p.survey_id AND r.respondent = p.respondent;
$$;
