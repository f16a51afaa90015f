-- Keeps the statistics of ideas, and of their comments and supports when
-- an idea changes field or district (no form does; an administrator's SQL
-- may).  Statement-level with transition tables: a bulk statement costs
-- one pass, not one call per row.
CREATE OR REPLACE FUNCTION stats_on_ideas() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	d	stats_delta[] := '{}';
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		d := ARRAY(SELECT (c.metric, c.month, c.field_id,
		    c.district_id, c.channel, c.account_id, -c.n)::stats_delta
		    FROM old_rows o, stats_cells_idea(o.created_at, o.field_id,
			o.district_id, o.channel, o.state, o.status,
			o.author_id) c);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		d := d || ARRAY(SELECT c FROM new_rows o,
		    stats_cells_idea(o.created_at, o.field_id, o.district_id,
			o.channel, o.state, o.status, o.author_id) c);
	END IF;
	-- (Nested: the condition is planned whole, and an INSERT has no
	-- old_rows.)
	IF TG_OP = 'UPDATE' THEN
		IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n USING (id)
		    WHERE (o.field_id, o.district_id) IS DISTINCT FROM
		    (n.field_id, n.district_id)) THEN
			-- Wait for comments and supports in flight (they read the
			-- idea's old field) and hold new ones off until commit.
			LOCK TABLE comments, supports IN SHARE MODE;
			d := d || ARRAY(SELECT (c.metric, c.month, c.field_id,
			    c.district_id, c.channel, c.account_id, c.n * s.sign)::
			    stats_delta
			    FROM old_rows o JOIN new_rows n USING (id),
				LATERAL (VALUES (o.field_id, o.district_id, -1),
				(n.field_id, n.district_id, 1)) s (field_id,
				district_id, sign),
				comments m,
				stats_cells_comment(m.created_at, m.state, m.channel,
				    m.author_id, s.field_id, s.district_id) c
			    WHERE m.idea_id = n.id AND (o.field_id, o.district_id) IS
				DISTINCT FROM (n.field_id, n.district_id))
			    || ARRAY(SELECT (c.metric, c.month, c.field_id,
			    c.district_id, c.channel, c.account_id, c.n * s.sign)::
			    stats_delta
			    FROM old_rows o JOIN new_rows n USING (id),
				LATERAL (VALUES (o.field_id, o.district_id, -1),
				(n.field_id, n.district_id, 1)) s (field_id,
				district_id, sign),
				supports p,
				stats_cells_support(p.created_at, p.account_id,
				    s.field_id, s.district_id) c
			    WHERE p.idea_id = n.id AND (o.field_id, o.district_id) IS
				DISTINCT FROM (n.field_id, n.district_id));
		END IF;
	END IF;
	PERFORM stats_apply(d, NULL);
	RETURN NULL;
END $$;

-- Transition tables need one trigger per event.
CREATE OR REPLACE TRIGGER stats_ideas_insert AFTER INSERT ON ideas
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_ideas();
CREATE OR REPLACE TRIGGER stats_ideas_update AFTER UPDATE ON ideas
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_ideas();
CREATE OR REPLACE TRIGGER stats_ideas_delete AFTER DELETE ON ideas
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_ideas();
