-- The surveys of a Handlungsfeld (p_kind 'f') or a strategic goal ('g')
-- that ran in the period, as the public sees them: respondents only when
-- the results are published, and never fewer than k (stats_k).
CREATE OR REPLACE FUNCTION evaluation_surveys(p_kind text, p_key smallint,
    p_from date, p_to date) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT coalesce(json_agg(json_build_object('id', s.id,
	    'title', s.title, 'status', s.status,
	    'results_public', s.results_public,
	    'respondents', CASE WHEN s.results_public AND x.n >= k.k
		THEN x.n END,
	    'suppressed', s.results_public AND x.n > 0 AND x.n < k.k)
	    ORDER BY s.id), '[]')
	FROM surveys s
	CROSS JOIN (SELECT coalesce(setting('stats_k')::int, 5) AS k) k
	CROSS JOIN LATERAL (SELECT count(*) AS n FROM survey_responses r
	    WHERE r.survey_id = s.id) x
	WHERE s.status <> 'draft'
	    AND coalesce((s.opens_at AT TIME ZONE 'Europe/Berlin')::date,
		p_from) <= p_to
	    AND coalesce((s.closes_at AT TIME ZONE 'Europe/Berlin')::date,
		p_to) >= p_from
	    AND CASE WHEN p_kind = 'f' THEN EXISTS (SELECT 1
		FROM survey_fields sf WHERE sf.survey_id = s.id
		AND sf.field_id = p_key)
	    ELSE EXISTS (SELECT 1 FROM survey_goals sg
		WHERE sg.survey_id = s.id AND sg.goal_id = p_key) END
$$;
