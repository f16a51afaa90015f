-- Applies signed participant rows: refs per (month, scope, key, account)
-- in key order, then stats_distinct by the rows that appeared (0 -> >0)
-- or disappeared (>0 -> 0), then deletes the rows that reached 0.
CREATE OR REPLACE FUNCTION stats_apply_people(p_people stats_person[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	bad	text;
	gone	stats_person[];
BEGIN
	IF coalesce(cardinality(p_people), 0) = 0 THEN
		RETURN;
	END IF;
	WITH d AS (
		SELECT month, scope, key, account_id, sum(n)::bigint AS n
		FROM unnest(p_people)
		GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
		ORDER BY 1, 2, 3, 4),
	up AS (
		INSERT INTO stats_people AS s
		SELECT month, scope, key, account_id, n FROM d
		ON CONFLICT (month, scope, key, account_id)
		DO UPDATE SET refs = s.refs + excluded.refs
		RETURNING s.*),
	moved AS (
		SELECT up.month, up.scope, up.key,
		    (up.refs > 0)::int - (up.refs - d.n > 0)::int AS dn
		FROM up JOIN d USING (month, scope, key, account_id)),
	dist AS (
		INSERT INTO stats_distinct AS s
		SELECT month, scope, key, sum(dn) FROM moved
		GROUP BY 1, 2, 3 HAVING sum(dn) <> 0
		ORDER BY 1, 2, 3
		ON CONFLICT (month, scope, key)
		DO UPDATE SET n = s.n + excluded.n
		RETURNING s.*)
	SELECT coalesce((SELECT 'stats_people ' || up::text FROM up
		WHERE up.refs < 0 LIMIT 1), (SELECT 'stats_distinct ' ||
		dist::text FROM dist WHERE dist.n < 0 LIMIT 1)),
	    (SELECT array_agg((up.month, up.scope, up.key, up.account_id,
		0)::stats_person) FROM up WHERE up.refs = 0)
	INTO bad, gone;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'below zero: %', bad;
	END IF;
	DELETE FROM stats_people s USING unnest(gone) g
	    WHERE (s.month, s.scope, s.key, s.account_id) =
		(g.month, g.scope, g.key, g.account_id) AND s.refs = 0;
END $$;
