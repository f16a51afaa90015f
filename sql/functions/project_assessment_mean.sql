-- One board member's weighted mean of a project, 0..3, over the active
-- criteria only (as assessment_mean for ideas); NULL when none of the
-- member's scores is for an active criterion.
CREATE OR REPLACE FUNCTION project_assessment_mean(p_project bigint,
    p_member bigint) RETURNS numeric LANGUAGE sql STABLE AS $$
	SELECT round(sum(s.score * c.weight) / sum(c.weight), 3)
	FROM project_assessment_scores s JOIN criteria c ON c.slug = s.criterion
	WHERE s.project_id = p_project AND s.member_id = p_member AND c.active
$$;
