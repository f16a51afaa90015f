-- A success criterion's values over time: its measurements, or what
-- mitwirken's own data says.  Derived values over fewer than k people
-- (the setting stats_k) are suppressed like every published statistic:
-- the point stays, its value is null and "suppressed" true.
--   survey_mean: the question's mean from the survey's tallies (kind 'v'),
--     one point dated when the survey closed (or today while it runs);
--   defect_ack_days / defect_resolve_days: per month of reporting (Berlin
--     time) from the baseline's month on, the median whole days to
--     acknowledge / to resolve reports of the category, read from the
--     aggregates' stats_durations (366: "a year or more"), the dashboard's
--     source, by its rule (the mean of the two middle values for even n).
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
		-- The histograms as the dashboard reads them.
		SELECT coalesce(jsonb_agg(jsonb_build_object('measured_on',
		    x.month, 'value', CASE WHEN x.n >= k THEN x.median END,
		    'n', CASE WHEN x.n >= k THEN x.n END,
		    'suppressed', x.n < k) ORDER BY x.month), '[]')
		INTO out FROM (
		    SELECT h.month, max(h.total) AS n,
			trim_scale((min(h.days) FILTER (WHERE h.cum >=
			    div(h.total + 1, 2)) + min(h.days) FILTER (WHERE
			    h.cum >= div(h.total, 2) + 1)) / 2.0) AS median
		    FROM (SELECT d.month, d.days,
			sum(d.n) OVER (PARTITION BY d.month ORDER BY d.days)
			    AS cum,
			sum(d.n) OVER (PARTITION BY d.month) AS total
			FROM stats_durations d
			WHERE d.kind = CASE WHEN c.derivation = 'defect_ack_days'
			    THEN 'ack' ELSE 'resolve' END AND
			    d.category_id = c.category_id AND d.n > 0 AND
			    d.month >= date_trunc('month', c.baseline_on)) h
		    GROUP BY h.month) x;
	END IF;
	RETURN out;
END $$;
