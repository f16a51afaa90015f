-- The participant rows the stored contributions make, afresh: per month,
-- scope and key, each account with the number of its counted
-- contributions there, in its current age band.
CREATE OR REPLACE FUNCTION stats_expected_people() RETURNS SETOF stats_person
LANGUAGE sql STABLE AS $$
	SELECT c.month, k.scope, k.key, c.account_id, count(*)
	FROM stats_expected_cells() c JOIN accounts a ON a.id = c.account_id,
	    stats_keys_person(c.field_id, c.district_id, c.channel,
		stats_key_age(a.age_band)) k
	GROUP BY 1, 2, 3, 4;
$$;
