-- Braunschweig's twelve Stadtbezirke replace the neutral demo districts
-- (issue 16).  The list is the one in force since 1 November 2021, as the
-- city publishes it under "Stadtbezirksräte" on braunschweig.de (older
-- lists with 19 or 20 districts are out of date).  Districts stay
-- editable by administrators: a district gets its official number and an
-- active flag, and one that contributions already name is retired
-- (inactive: no longer offered in forms, still shown in its history and
-- statistics) rather than deleted.

ALTER TABLE districts
	ADD COLUMN number text UNIQUE CHECK (number ~ '^[0-9]{1,6}$'),
	ADD COLUMN active boolean NOT NULL DEFAULT true;

-- Make room at the front of the order for the real districts.
UPDATE districts SET position = position + 1000 WHERE is_demo;

INSERT INTO districts (id, slug, name, number, position)
SELECT (SELECT coalesce(max(id), 0) FROM districts) + v.pos, v.slug,
    v.name, v.number, v.pos
FROM (VALUES
	(1, '111', 'hondelage-volkmarode', 'Hondelage-Volkmarode'),
	(2, '112', 'wabe-schunter-beberbach', 'Wabe-Schunter-Beberbach'),
	(3, '120', 'oestliches-ringgebiet', 'Östliches Ringgebiet'),
	(4, '130', 'mitte', 'Mitte'),
	(5, '211', 'braunschweig-sued', 'Braunschweig-Süd'),
	(6, '212', 'suedstadt-rautheim-mascherode',
	    'Südstadt-Rautheim-Mascherode'),
	(7, '221', 'weststadt', 'Weststadt'),
	(8, '222', 'suedwest', 'Südwest'),
	(9, '310', 'westliches-ringgebiet', 'Westliches Ringgebiet'),
	(10, '321', 'lehndorf-watenbuettel', 'Lehndorf-Watenbüttel'),
	(11, '322', 'noerdliche-schunter-okeraue',
	    'Nördliche Schunter-/Okeraue'),
	(12, '330', 'nordstadt-schunteraue', 'Nordstadt-Schunteraue'))
    AS v (pos, number, slug, name)
WHERE NOT EXISTS (SELECT 1 FROM districts d WHERE d.slug = v.slug);

-- A demo district nothing refers to goes; one that a contribution, a
-- survey's tags or a statistics cell names is retired.
DO $$
DECLARE
	d record;
BEGIN
	FOR d IN SELECT id FROM districts WHERE is_demo ORDER BY id LOOP
		BEGIN
			IF EXISTS (SELECT 1 FROM stats_counts
			    WHERE district_id = d.id AND n > 0) OR
			    EXISTS (SELECT 1 FROM stats_distinct
			    WHERE scope = 'd' AND key = d.id AND n > 0) THEN
				RAISE foreign_key_violation;
			END IF;
			DELETE FROM stats_counts WHERE district_id = d.id;
			DELETE FROM stats_distinct
			    WHERE scope = 'd' AND key = d.id;
			DELETE FROM districts WHERE id = d.id;
		EXCEPTION WHEN foreign_key_violation THEN
			UPDATE districts SET active = false WHERE id = d.id;
		END;
	END LOOP;
END $$;
