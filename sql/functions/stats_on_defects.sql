-- Keeps the statistics of defect reports: the count in the category's
-- field, and the days to acknowledge and to resolve, which move with every
-- status change (a reopened report leaves the resolve histogram until it
-- is resolved again).
CREATE OR REPLACE FUNCTION stats_on_defects() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	d	stats_delta[] := '{}';
	s	stats_span[] := '{}';
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		d := ARRAY(SELECT (c.metric, c.month, c.field_id,
		    c.district_id, c.channel, c.account_id, -c.n)::stats_delta
		    FROM old_rows r JOIN defect_categories k
			ON k.id = r.category_id,
			stats_cells_defect(r.created_at, k.field_id,
			    r.district_id, r.channel, r.reporter_id) c);
		s := ARRAY(SELECT (x.kind, x.month, x.category_id, x.days,
		    -x.n)::stats_span FROM old_rows r,
		    stats_durations_defect(r.created_at, r.category_id,
			r.acknowledged_at, r.status, r.closed_at) x);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		d := d || ARRAY(SELECT c FROM new_rows r
		    JOIN defect_categories k ON k.id = r.category_id,
		    stats_cells_defect(r.created_at, k.field_id, r.district_id,
			r.channel, r.reporter_id) c);
		s := s || ARRAY(SELECT x FROM new_rows r,
		    stats_durations_defect(r.created_at, r.category_id,
			r.acknowledged_at, r.status, r.closed_at) x);
	END IF;
	PERFORM stats_apply(d, s);
	RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER stats_defects_insert AFTER INSERT
	ON defect_reports REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_defects();
CREATE OR REPLACE TRIGGER stats_defects_update AFTER UPDATE
	ON defect_reports
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_defects();
CREATE OR REPLACE TRIGGER stats_defects_delete AFTER DELETE
	ON defect_reports REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_defects();
