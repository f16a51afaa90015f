-- Keeps the statistics of survey responses.  Erasure replaces a
-- response's respondent (survey_erase) and changes no cell.
CREATE OR REPLACE FUNCTION stats_on_responses() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	d	stats_delta[] := '{}';
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		d := ARRAY(SELECT (c.metric, c.month, c.field_id,
		    c.district_id, c.channel, c.account_id, -c.n)::stats_delta
		    FROM old_rows r, stats_cells_response(r.submitted_at,
			r.district_id, r.channel) c);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		d := d || ARRAY(SELECT c FROM new_rows r,
		    stats_cells_response(r.submitted_at, r.district_id,
			r.channel) c);
	END IF;
	PERFORM stats_apply(d, NULL);
	RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER stats_responses_insert AFTER INSERT
	ON survey_responses REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_responses();
CREATE OR REPLACE TRIGGER stats_responses_update AFTER UPDATE
	ON survey_responses
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_responses();
CREATE OR REPLACE TRIGGER stats_responses_delete AFTER DELETE
	ON survey_responses REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_responses();
