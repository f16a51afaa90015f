-- Replaces a project's Handlungsfelder, goals, ideas and surveys by those
-- given; an unknown slug or id is refused by name.  Only published ideas
-- can be taken up (an idea's page then points to the project), only
-- surveys out of draft can have informed it.
CREATE OR REPLACE FUNCTION project_links(p_project bigint, p_fields text[],
    p_goals text[], p_ideas bigint[], p_surveys bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF cardinality(p_fields) = 0 THEN
		PERFORM raise_client('project_fields_required',
		    'at least one field');
	END IF;
	IF (SELECT count(*) FROM fields WHERE slug = ANY (p_fields)) <>
	    (SELECT count(DISTINCT s) FROM unnest(p_fields) s) THEN
		PERFORM raise_client('project_fields', 'unknown field');
	END IF;
	IF (SELECT count(*) FROM goals WHERE slug = ANY (p_goals)) <>
	    (SELECT count(DISTINCT s) FROM unnest(p_goals) s) THEN
		PERFORM raise_client('project_goals', 'unknown goal');
	END IF;
	IF (SELECT count(*) FROM ideas WHERE id = ANY (p_ideas) AND
	    state = 'published') <>
	    (SELECT count(DISTINCT s) FROM unnest(p_ideas) s) THEN
		PERFORM raise_client('project_ideas', 'unknown idea');
	END IF;
	IF (SELECT count(*) FROM surveys WHERE id = ANY (p_surveys) AND
	    status <> 'draft') <>
	    (SELECT count(DISTINCT s) FROM unnest(p_surveys) s) THEN
		PERFORM raise_client('project_surveys', 'unknown survey');
	END IF;
	DELETE FROM project_fields WHERE project_id = p_project;
	DELETE FROM project_goals WHERE project_id = p_project;
	DELETE FROM project_ideas WHERE project_id = p_project AND
	    idea_id <> ALL (p_ideas);
	DELETE FROM project_surveys WHERE project_id = p_project;
	INSERT INTO project_fields (project_id, field_id)
	    SELECT p_project, id FROM fields WHERE slug = ANY (p_fields);
	INSERT INTO project_goals (project_id, goal_id)
	    SELECT p_project, id FROM goals WHERE slug = ANY (p_goals);
	-- Kept links keep the date they were made.
	INSERT INTO project_ideas (project_id, idea_id)
	    SELECT p_project, id FROM ideas WHERE id = ANY (p_ideas)
	    ON CONFLICT DO NOTHING;
	INSERT INTO project_surveys (project_id, survey_id)
	    SELECT p_project, id FROM surveys WHERE id = ANY (p_surveys);
END $$;
