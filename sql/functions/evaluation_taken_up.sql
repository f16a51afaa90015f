-- How many published ideas projects of a Handlungsfeld (p_kind 'f') or a
-- strategic goal ('g') took up between two days (Berlin time).  Projects
-- are not people and the ideas are public with their links: not
-- suppressed.
CREATE OR REPLACE FUNCTION evaluation_taken_up(p_kind text, p_key smallint,
    p_from date, p_to date) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT count(DISTINCT pi.idea_id)
	FROM project_ideas pi JOIN ideas i ON i.id = pi.idea_id
	WHERE i.state = 'published'
	    AND (pi.linked_at AT TIME ZONE 'Europe/Berlin')::date
		BETWEEN p_from AND p_to
	    AND CASE WHEN p_kind = 'f' THEN EXISTS (SELECT 1
		FROM project_fields pf WHERE pf.project_id = pi.project_id
		AND pf.field_id = p_key)
	    ELSE EXISTS (SELECT 1 FROM project_goals pg
		WHERE pg.project_id = pi.project_id AND pg.goal_id = p_key)
	    END
$$;
