-- A board member's assessment of a proposed project: a score 0..3 for
-- every active criterion and a comment, as for ideas (assess.sql).  Once
-- the board has decided, the assessments are the record of how it got
-- there and stay as they are.  The project row is share-locked so a
-- decision (project_decide, FOR UPDATE) waits for assessments under way.
-- The audit log says that a member assessed, whether it was a revision and
-- how many others' assessments the member could see then; never scores.
CREATE OR REPLACE FUNCTION project_assess(p_member bigint, p_project bigint,
    p_scores jsonb, p_comment text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	st		text;
	revision	boolean;
	seen		int := 0;
BEGIN
	SELECT status INTO st FROM projects WHERE id = p_project FOR SHARE;
	IF NOT FOUND THEN
		PERFORM raise_client('project_assessment_project',
		    'no such project');
	END IF;
	IF st <> 'proposed' THEN
		PERFORM raise_client('project_assessment_decided',
		    'the board has decided on this project');
	END IF;
	IF (SELECT array_agg(slug ORDER BY slug) FROM criteria WHERE active)
	    IS DISTINCT FROM (SELECT array_agg(k ORDER BY k) FROM
	    jsonb_object_keys(p_scores) k) THEN
		PERFORM raise_client('project_assessment_criteria',
		    'needs one score for each criterion');
	END IF;
	revision := EXISTS (SELECT 1 FROM project_assessments
	    WHERE project_id = p_project AND member_id = p_member);
	IF revision THEN
		SELECT count(*) INTO seen FROM project_assessments WHERE
		    project_id = p_project AND member_id <> p_member;
	END IF;
	INSERT INTO project_assessments (project_id, member_id, comment)
	    VALUES (p_project, p_member, p_comment)
	    ON CONFLICT (project_id, member_id) DO UPDATE SET
	    comment = EXCLUDED.comment, submitted_at = now();
	DELETE FROM project_assessment_scores WHERE project_id = p_project
	    AND member_id = p_member;
	INSERT INTO project_assessment_scores (project_id, member_id,
	    criterion, score)
	    SELECT p_project, p_member, key, value::smallint
	    FROM jsonb_each_text(p_scores);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_member, 'board.assess', 'project', p_project,
	    jsonb_build_object('revision', revision, 'others_seen', seen));
END $$;
