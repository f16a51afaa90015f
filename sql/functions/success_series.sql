-- A success criterion's values over time: its measurements, or what
-- mitwirken's own data says.  Derived values over fewer than k people
-- (the setting stats_k) are suppressed like every published statistic:
-- the point stays, its value is null and "suppressed" true.
--   survey_mean: the question's mean from the survey's tallies (kind 'v'),
--     one point dated when the survey closed (or today while it runs);
--   defect_ack_days / defect_resolve_days: per month of reporting (Berlin
--     time) from the baseline's month on, the median whole days to
--     acknowledge / to resolve reports of the category, capped at 366 as
--     in the dashboard's stats_durations ("a year or more").
CREATE OR REPLACE FUNCTION success_series(p_criterion bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
	c	success_criteria;
	k	int := coalesce(setting('stats_k')::int, 5);
	out	jsonb;
BEGIN
	SELECT * INTO c FROM success_criteria WHERE id = p_criterion;
	IF c.id IS NULL THEN
		RETURN '[]';
	END IF;
	IF c.derivation = 'manual' THEN
		SELECT coalesce(jsonb_agg(jsonb_build_object('id', m.id,
		    'measured_on', m.measured_on, 'value', m.value,
		    'note', m.note) ORDER BY m.measured_on), '[]')
		INTO out FROM project_measurements m
		WHERE m.criterion_id = c.id;
	ELSIF c.derivation = 'survey_mean' THEN
		SELECT coalesce(jsonb_agg(jsonb_build_object('measured_on',
		    x.on_day, 'value', CASE WHEN x.n >= k THEN
		    round(x.total / x.n, 4) END, 'n', CASE WHEN x.n >= k THEN
		    x.n END, 'suppressed', x.n < k)), '[]')
		INTO out FROM (
		    SELECT coalesce((s.closes_at AT TIME ZONE 'Europe/Berlin')
			::date, (now() AT TIME ZONE 'Europe/Berlin')::date)
			AS on_day,
			sum(t.value::numeric * t.n) AS total, sum(t.n) AS n
		    FROM surveys s JOIN survey_tallies t ON t.survey_id = s.id
		    WHERE s.id = c.survey_id AND s.status <> 'draft' AND
			t.kind = 'v' AND t.question = c.question AND
			t.value ~ '^-?[0-9]+(\.[0-9]+)?$'
		    GROUP BY s.closes_at HAVING sum(t.n) > 0) x;
	ELSE
		SELECT coalesce(jsonb_agg(jsonb_build_object('measured_on',
		    x.month, 'value', CASE WHEN x.n >= k THEN x.median END,
		    'n', CASE WHEN x.n >= k THEN x.n END,
		    'suppressed', x.n < k) ORDER BY x.month), '[]')
		INTO out FROM (
		    SELECT date_trunc('month', r.created_at AT TIME ZONE
			'Europe/Berlin')::date AS month,
			percentile_disc(0.5) WITHIN GROUP (ORDER BY
			    least(366, floor(extract(epoch FROM
			    CASE WHEN c.derivation = 'defect_ack_days'
			    THEN r.acknowledged_at ELSE r.closed_at END -
			    r.created_at) / 86400))) AS median,
			count(*) AS n
		    FROM defect_reports r
		    WHERE r.category_id = c.category_id AND
			r.created_at >= date_trunc('month', c.baseline_on) AND
			CASE WHEN c.derivation = 'defect_ack_days'
			THEN r.acknowledged_at IS NOT NULL
			ELSE r.status = 'resolved' END
		    GROUP BY 1) x;
	END IF;
	RETURN out;
END $$;
