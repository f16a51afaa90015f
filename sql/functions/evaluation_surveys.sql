-- The surveys of a Handlungsfeld (p_kind 'f') or a strategic goal ('g')
-- that ran in the period, as the public sees them: respondents only when
-- the results are published, and never fewer than k (stats_k).  Published
-- ones carry their definition and tallies, from which the report builds
-- the results as the results page does (results_from_json).
--
-- A survey ran in the period when its open-to-close window overlaps it
-- (an open end runs on); a survey with neither date only when it had
-- responses in the period (its day tallies, in the city's time zone): its
-- creation date says nothing about when people took part.
CREATE OR REPLACE FUNCTION evaluation_surveys(p_kind text, p_key smallint,
    p_from date, p_to date) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT coalesce(json_agg(json_build_object('id', s.id,
	    'title', s.title, 'status', s.status,
	    'results_public', s.results_public,
	    'respondents', CASE WHEN s.results_public AND x.n >= k.k
		THEN x.n END,
	    'suppressed', s.results_public AND x.n > 0 AND x.n < k.k,
	    'definition', CASE WHEN s.results_public THEN s.definition END,
	    'tallies', CASE WHEN s.results_public THEN (SELECT
		coalesce(json_agg(json_build_array(t.kind, t.question, t.item,
		t.value, t.n)), '[]') FROM survey_tally_rows(s.id, NULL, NULL)
		t WHERE t.kind <> 'x') END)
	    ORDER BY s.id), '[]')
	FROM surveys s
	CROSS JOIN (SELECT coalesce(setting('stats_k')::int, 5) AS k) k
	CROSS JOIN LATERAL (SELECT count(*) AS n FROM survey_responses r
	    WHERE r.survey_id = s.id) x
	WHERE s.status <> 'draft'
	    AND CASE WHEN s.opens_at IS NULL AND s.closes_at IS NULL
		THEN EXISTS (SELECT 1 FROM survey_tallies t
		    WHERE t.survey_id = s.id AND t.kind = 'd'
		    AND t.value BETWEEN to_char(p_from, 'YYYY-MM-DD')
		    AND to_char(p_to, 'YYYY-MM-DD'))
		ELSE coalesce((s.opens_at AT TIME ZONE 'Europe/Berlin')::date,
		    p_from) <= p_to
		AND coalesce((s.closes_at AT TIME ZONE 'Europe/Berlin')::date,
		    p_to) >= p_from END
	    AND CASE WHEN p_kind = 'f' THEN EXISTS (SELECT 1
		FROM survey_fields sf WHERE sf.survey_id = s.id
		AND sf.field_id = p_key)
	    ELSE EXISTS (SELECT 1 FROM survey_goals sg
		WHERE sg.survey_id = s.id AND sg.goal_id = p_key) END
$$;
