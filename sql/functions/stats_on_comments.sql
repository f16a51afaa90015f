-- Keeps the statistics of comments: a moderation decision moves a comment
-- in or out of "comments" (published only); its field and district are
-- its idea's.  A comment whose idea is being deleted was already taken
-- out (stats_on_idea_delete) and is skipped by the join.
CREATE OR REPLACE FUNCTION stats_on_comments() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	d	stats_delta[] := '{}';
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		d := ARRAY(SELECT (c.metric, c.month, c.field_id,
		    c.district_id, c.channel, c.account_id, -c.n)::stats_delta
		    FROM old_rows m JOIN ideas i ON i.id = m.idea_id,
			stats_cells_comment(m.created_at, m.state, m.channel,
			    m.author_id, i.field_id, i.district_id) c);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		d := d || ARRAY(SELECT c FROM new_rows m
		    JOIN ideas i ON i.id = m.idea_id,
		    stats_cells_comment(m.created_at, m.state, m.channel,
			m.author_id, i.field_id, i.district_id) c);
	END IF;
	PERFORM stats_apply(d, NULL);
	RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER stats_comments_insert AFTER INSERT ON comments
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_comments();
CREATE OR REPLACE TRIGGER stats_comments_update AFTER UPDATE ON comments
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_comments();
CREATE OR REPLACE TRIGGER stats_comments_delete AFTER DELETE ON comments
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION stats_on_comments();
