-- The statistics cells whose stored value differs from a recount from the
-- base tables (a cell missing on either side counts as 0): empty when the
-- triggers kept everything.  `mitwirken-admin stats-check` prints these.
CREATE OR REPLACE FUNCTION stats_recount()
RETURNS TABLE (tbl text, cell jsonb, stored bigint, recounted bigint)
LANGUAGE sql STABLE AS $$
	WITH e AS (
		SELECT metric, month, field_id, district_id, channel,
		    sum(n)::bigint AS n
		FROM stats_expected_cells() GROUP BY 1, 2, 3, 4, 5),
	s AS (
		SELECT kind, month, category_id, days, sum(n)::bigint AS n
		FROM stats_expected_spans() GROUP BY 1, 2, 3, 4),
	p AS MATERIALIZED (SELECT * FROM stats_expected_people()),
	q AS (
		SELECT month, scope, key, count(*) AS n FROM p
		GROUP BY 1, 2, 3)
	SELECT 'stats_counts', jsonb_build_object('metric', metric, 'month',
	    month, 'field_id', field_id, 'district_id', district_id,
	    'channel', channel), coalesce(c.n, 0), coalesce(e.n, 0)
	FROM stats_counts c FULL JOIN e
	    USING (metric, month, field_id, district_id, channel)
	WHERE coalesce(c.n, 0) <> coalesce(e.n, 0)
	UNION ALL
	SELECT 'stats_durations', jsonb_build_object('kind', kind, 'month',
	    month, 'category_id', category_id, 'days', days),
	    coalesce(d.n, 0), coalesce(s.n, 0)
	FROM stats_durations d FULL JOIN s
	    USING (kind, month, category_id, days)
	WHERE coalesce(d.n, 0) <> coalesce(s.n, 0)
	UNION ALL
	SELECT 'stats_people', jsonb_build_object('month', month, 'scope',
	    scope, 'key', key, 'account_id', account_id),
	    coalesce(t.refs, 0), coalesce(p.n, 0)
	FROM stats_people t FULL JOIN p USING (month, scope, key, account_id)
	WHERE coalesce(t.refs, 0) <> coalesce(p.n, 0)
	UNION ALL
	SELECT 'stats_distinct', jsonb_build_object('month', month, 'scope',
	    scope, 'key', key), coalesce(t.n, 0), coalesce(q.n, 0)
	FROM stats_distinct t FULL JOIN q USING (month, scope, key)
	WHERE coalesce(t.n, 0) <> coalesce(q.n, 0)
	ORDER BY 1, 2;
$$;
