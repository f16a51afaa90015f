-- Applies a statement's signed cells and durations (from the stats_on_*
-- triggers): net deltas per cell, one upsert per touched cell, in key
-- order, table after table in the same order in every transaction, so
-- concurrent writers wait for each other but never deadlock.  The
-- accounts are locked (FOR SHARE, in id order) before their age band is
-- read, so a band change (stats_on_accounts) cannot pass a contribution
-- in flight.  A count below zero means the cells and the rows disagree:
-- the statement fails rather than store it.
CREATE OR REPLACE FUNCTION stats_apply(p_cells stats_delta[],
    p_spans stats_span[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	bad	text;
	people	stats_person[];
BEGIN
	WITH d AS (
		SELECT metric, month, field_id, district_id, channel,
		    sum(n)::bigint AS n
		FROM unnest(p_cells)
		GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0
		ORDER BY 1, 2, 3, 4, 5),
	up AS (
		INSERT INTO stats_counts AS s SELECT * FROM d
		ON CONFLICT (metric, month, field_id, district_id, channel)
		DO UPDATE SET n = s.n + excluded.n
		RETURNING s.*)
	SELECT up::text INTO bad FROM up WHERE up.n < 0 LIMIT 1;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'stats_counts below zero: %', bad;
	END IF;

	PERFORM 1 FROM accounts WHERE id IN (SELECT account_id
	    FROM unnest(p_cells) WHERE account_id IS NOT NULL)
	    ORDER BY id FOR SHARE;
	WITH p AS (
		SELECT month, field_id, district_id, channel, account_id,
		    sum(n)::bigint AS n
		FROM unnest(p_cells) WHERE account_id IS NOT NULL
		GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0)
	SELECT array_agg((p.month, k.scope, k.key, p.account_id,
	    p.n)::stats_person) INTO people
	FROM p LEFT JOIN accounts a ON a.id = p.account_id,
	    -- An account deleted in this transaction (a report's reporter
	    -- set null): the band its rows carry.
	    stats_keys_person(p.field_id, p.district_id, p.channel,
		CASE WHEN a.id IS NOT NULL THEN stats_key_age(a.age_band)
		ELSE coalesce((SELECT s.key FROM stats_people s WHERE
		    s.account_id = p.account_id AND s.scope = 'g' LIMIT 1),
		    0::smallint) END) k;
	PERFORM stats_apply_people(people);

	WITH d AS (
		SELECT kind, month, category_id, days, sum(n)::bigint AS n
		FROM unnest(p_spans)
		GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
		ORDER BY 1, 2, 3, 4),
	up AS (
		INSERT INTO stats_durations AS s SELECT * FROM d
		ON CONFLICT (kind, month, category_id, days)
		DO UPDATE SET n = s.n + excluded.n
		RETURNING s.*)
	SELECT up::text INTO bad FROM up WHERE up.n < 0 LIMIT 1;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'stats_durations below zero: %', bad;
	END IF;
END $$;
