-- Erasure's part for surveys: drafts are deleted; responses stay in the
-- results but are unlinked, their respondent replaced by random bytes, so
-- that the pseudonym computed from the account no longer finds them.
CREATE OR REPLACE FUNCTION survey_erase(p_respondents bytea[]) RETURNS void
LANGUAGE sql AS $$
	DELETE FROM survey_drafts WHERE respondent = ANY (p_respondents);
	UPDATE survey_responses SET respondent = decode(
	    replace(gen_random_uuid()::text || gen_random_uuid()::text,
	    '-', ''), 'hex')
	    WHERE respondent = ANY (p_respondents);
$$;
