-- The (survey, respondent) pairs the server passes as text
-- "<survey id>:<hex pseudonym>,...": a person's pseudonym for every survey,
-- for the export and erasure, which then find responses by the unique
-- index (survey_id, respondent) instead of scanning all of them.
CREATE OR REPLACE FUNCTION survey_pseudonyms(p_list text)
RETURNS TABLE (survey_id bigint, respondent bytea)
LANGUAGE sql IMMUTABLE AS $$
	SELECT split_part(x, ':', 1)::bigint, decode(split_part(x, ':', 2), 'hex')
	FROM unnest(string_to_array(p_list, ',')) x
	WHERE x <> ''
$$;
