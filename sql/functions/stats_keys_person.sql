-- The scopes in which one counted contribution makes its account a
-- participant (stats_people): all, its field, its district, its channel
-- and the account's age band key.
CREATE OR REPLACE FUNCTION stats_keys_person(p_field smallint,
    p_district smallint, p_channel text, p_band smallint)
RETURNS TABLE (scope "char", key smallint)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	VALUES ('a'::"char", 0::smallint), ('f', p_field), ('d', p_district),
	    ('c', stats_key_channel(p_channel)), ('g', p_band);
$$;
