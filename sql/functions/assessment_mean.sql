-- One member's weighted mean of an idea, 0..3, over the active criteria
-- only: a criterion an admin retired no longer counts, though its scores
-- stay on the sheets that have them.  NULL when none of the scores is
-- for an active criterion (an assessment from before the criteria
-- changed), so averages over members skip it.
CREATE OR REPLACE FUNCTION assessment_mean(p_idea bigint, p_member bigint)
RETURNS numeric LANGUAGE sql STABLE AS $$
	SELECT round(sum(s.score * c.weight) / sum(c.weight), 3)
	FROM assessment_scores s JOIN criteria c ON c.slug = s.criterion
	WHERE s.idea_id = p_idea AND s.member_id = p_member AND c.active
$$;
