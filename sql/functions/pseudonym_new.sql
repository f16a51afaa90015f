-- A readable, unique, random pseudonym such as "gruene-eule-42", neither
-- taken nor reserved (pseudonym_reserve.sql).  Never derived from the
-- address.
CREATE OR REPLACE FUNCTION pseudonym_new() RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	candidate text;
BEGIN
	LOOP
		SELECT a.word || '-' || n.word || '-' ||
		    (10 + floor(random() * 90))::int
		INTO candidate
		FROM (SELECT word FROM pseudonym_words WHERE kind = 'adjective'
		      ORDER BY random() LIMIT 1) a,
		     (SELECT word FROM pseudonym_words WHERE kind = 'animal'
		      ORDER BY random() LIMIT 1) n;
		EXIT WHEN NOT EXISTS (SELECT 1 FROM accounts
		    WHERE pseudonym = candidate) AND NOT EXISTS (SELECT 1
		    FROM pseudonyms_released WHERE pseudonym = candidate);
	END LOOP;
	RETURN candidate;
END $$;
