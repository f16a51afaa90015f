-- A survey's tallies summed over the chosen channel and district (NULL:
-- all; district '-': responses without one), the input of results_build.
CREATE OR REPLACE FUNCTION survey_tally_rows(p_survey bigint,
    p_channel text, p_district text)
RETURNS TABLE (kind text, question text, item text, value text, n bigint)
LANGUAGE sql STABLE AS $$
	SELECT t.kind::text, t.question, t.item, t.value, sum(t.n)::bigint
	FROM survey_tallies t
	WHERE t.survey_id = p_survey AND
	    (p_channel IS NULL OR t.channel = p_channel) AND
	    (p_district IS NULL OR t.district_id = coalesce((SELECT d.id
		FROM districts d WHERE d.slug = p_district), -1))
	GROUP BY t.kind, t.question, t.item, t.value
	ORDER BY t.kind, t.question, t.item, t.value
$$;
