-- A deleted idea takes its comments and supports along (ON DELETE
-- CASCADE), and by the time their triggers run the idea, and with it
-- their field and district, is gone: so they are taken out of the
-- statistics here, before, and stats_on_comments / stats_on_supports skip
-- rows whose idea no longer exists.  Ideas are deleted only by hand.
CREATE OR REPLACE FUNCTION stats_on_idea_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM stats_apply(ARRAY(SELECT (c.metric, c.month, c.field_id,
	    c.district_id, c.channel, c.account_id, -c.n)::stats_delta
	    FROM comments m, stats_cells_comment(m.created_at, m.state,
		m.channel, m.author_id, OLD.field_id, OLD.district_id) c
	    WHERE m.idea_id = OLD.id) ||
	    ARRAY(SELECT (c.metric, c.month, c.field_id, c.district_id,
	    c.channel, c.account_id, -c.n)::stats_delta
	    FROM supports p, stats_cells_support(p.created_at, p.account_id,
		OLD.field_id, OLD.district_id) c
	    WHERE p.idea_id = OLD.id), NULL);
	RETURN OLD;
END $$;

CREATE OR REPLACE TRIGGER stats_idea_delete BEFORE DELETE ON ideas
	FOR EACH ROW EXECUTE FUNCTION stats_on_idea_delete();
