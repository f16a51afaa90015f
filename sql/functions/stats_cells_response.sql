-- A survey response counts in field 0 (a survey may serve several
-- fields) and the respondent's district; respondents are unlinkable by
-- design, so it makes nobody a counted participant.
CREATE OR REPLACE FUNCTION stats_cells_response(p_submitted timestamptz,
    p_district smallint, p_channel text)
RETURNS SETOF stats_delta LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT 'survey_responses', stats_month(p_submitted), 0::smallint,
	    coalesce(p_district, 0)::smallint, p_channel, NULL::bigint,
	    1::bigint;
$$;
