-- Replaces the statistics with a recount from the base tables (repair:
-- `make stats-rebuild`).  Writers to the counted tables wait while it runs
-- (SHARE locks, held to commit), so no trigger runs against a half-built
-- table and nothing written meanwhile is missed.  Returns the number of
-- count cells stored.
CREATE OR REPLACE FUNCTION stats_rebuild() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	cells	bigint;
BEGIN
	LOCK TABLE ideas, comments, supports, survey_responses,
	    defect_reports, defect_categories, accounts IN SHARE MODE;
	LOCK TABLE stats_counts, stats_durations, stats_people,
	    stats_distinct IN EXCLUSIVE MODE;
	DELETE FROM stats_counts;
	DELETE FROM stats_durations;
	DELETE FROM stats_people;
	DELETE FROM stats_distinct;
	INSERT INTO stats_counts
	    SELECT metric, month, field_id, district_id, channel, sum(n)
	    FROM stats_expected_cells() GROUP BY 1, 2, 3, 4, 5;
	GET DIAGNOSTICS cells = ROW_COUNT;
	INSERT INTO stats_durations
	    SELECT kind, month, category_id, days, sum(n)
	    FROM stats_expected_spans() GROUP BY 1, 2, 3, 4;
	INSERT INTO stats_people SELECT * FROM stats_expected_people();
	INSERT INTO stats_distinct
	    SELECT month, scope, key, count(*) FROM stats_people
	    GROUP BY 1, 2, 3;
	RETURN cells;
END $$;

-- The backfill: on the first migration the statistics are empty while
-- the base tables may not be.  The functions this uses and the stats_on_*
-- triggers sort before this file and exist by now, in the same
-- transaction; the rebuild's locks keep writers out until it commits.
SELECT stats_rebuild() WHERE NOT EXISTS (SELECT 1 FROM stats_counts)
    AND NOT EXISTS (SELECT 1 FROM stats_durations)
    AND NOT EXISTS (SELECT 1 FROM stats_people);
