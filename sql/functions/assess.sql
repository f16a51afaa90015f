-- A board member's assessment: a score for every active criterion.
-- A member may revise after seeing the others' scores (the board
-- deliberates), but the log records that it was a revision and how many
-- other assessments the member could see then; the scores themselves stay
-- in assessment_scores, where only members who judged see them.
CREATE OR REPLACE FUNCTION assess(p_member bigint, p_idea bigint,
    p_scores jsonb, p_comment text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	revision	boolean;
	seen		int := 0;
BEGIN
	PERFORM 1 FROM ideas WHERE id = p_idea AND state = 'published';
	IF NOT FOUND THEN
		PERFORM raise_client('assessment_idea', 'no such idea');
	END IF;
	IF (SELECT array_agg(slug ORDER BY slug) FROM criteria WHERE active)
	    IS DISTINCT FROM (SELECT array_agg(k ORDER BY k) FROM
	    jsonb_object_keys(p_scores) k) THEN
		PERFORM raise_client('assessment_criteria',
		    'needs one score for each criterion');
	END IF;
	revision := EXISTS (SELECT 1 FROM assessments WHERE idea_id = p_idea
	    AND member_id = p_member);
	IF revision THEN
		SELECT count(*) INTO seen FROM assessments WHERE
		    idea_id = p_idea AND member_id <> p_member;
	END IF;
	INSERT INTO assessments (idea_id, member_id, comment)
	    VALUES (p_idea, p_member, p_comment)
	    ON CONFLICT (idea_id, member_id) DO UPDATE SET
	    comment = EXCLUDED.comment, submitted_at = now();
	DELETE FROM assessment_scores WHERE idea_id = p_idea AND
	    member_id = p_member;
	INSERT INTO assessment_scores (idea_id, member_id, criterion, score)
	    SELECT p_idea, p_member, key, value::smallint
	    FROM jsonb_each_text(p_scores);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_member, 'board.assess', 'idea', p_idea,
	    jsonb_build_object('revision', revision, 'others_seen', seen));
END $$;
