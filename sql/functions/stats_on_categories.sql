-- A defect category routed to another field takes its reports along, in
-- the counts and in the participants' field scope.
CREATE OR REPLACE FUNCTION stats_on_categories() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n USING (id)
	    WHERE o.field_id IS DISTINCT FROM n.field_id) THEN
		RETURN NULL;
	END IF;
	-- Wait for reports in flight (they read the old field) and hold new
	-- ones off until commit.
	LOCK TABLE defect_reports IN SHARE MODE;
	PERFORM stats_apply(ARRAY(SELECT (c.metric, c.month, c.field_id,
	    c.district_id, c.channel, c.account_id, c.n * s.sign)::stats_delta
	    FROM old_rows o JOIN new_rows n USING (id),
		LATERAL (VALUES (o.field_id, -1), (n.field_id, 1))
		    s (field_id, sign),
		defect_reports r,
		stats_cells_defect(r.created_at, s.field_id, r.district_id,
		    r.channel, r.reporter_id) c
	    WHERE r.category_id = n.id AND
		o.field_id IS DISTINCT FROM n.field_id), NULL);
	RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER stats_categories_update AFTER UPDATE
	ON defect_categories
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_categories();
