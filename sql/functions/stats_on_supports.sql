-- Keeps the statistics of supports (given and withdrawn), in their
-- idea's field and district; see stats_on_comments for deleted ideas.
CREATE OR REPLACE FUNCTION stats_on_supports() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	d	stats_delta[] := '{}';
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		d := ARRAY(SELECT (c.metric, c.month, c.field_id,
		    c.district_id, c.channel, c.account_id, -c.n)::stats_delta
		    FROM old_rows p JOIN ideas i ON i.id = p.idea_id,
			stats_cells_support(p.created_at, p.account_id,
			    i.field_id, i.district_id) c);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		d := d || ARRAY(SELECT c FROM new_rows p
		    JOIN ideas i ON i.id = p.idea_id,
		    stats_cells_support(p.created_at, p.account_id, i.field_id,
			i.district_id) c);
	END IF;
	PERFORM stats_apply(d, NULL);
	RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER stats_supports_insert AFTER INSERT ON supports
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_supports();
CREATE OR REPLACE TRIGGER stats_supports_update AFTER UPDATE ON supports
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_supports();
CREATE OR REPLACE TRIGGER stats_supports_delete AFTER DELETE ON supports
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_supports();
