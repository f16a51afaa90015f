-- The counts on the desk's tabs: what waits for review (waiting or hidden
-- by flags), what is published with open flags, the defect texts, messages
-- and photos waiting, and the decisions of the last 24 hours.
CREATE OR REPLACE FUNCTION moderation_desk_counts()
RETURNS json LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'review_ideas', (SELECT count(*) FROM ideas
		WHERE state IN ('pending', 'hidden')),
	    'review_comments', (SELECT count(*) FROM comments
		WHERE state IN ('pending', 'hidden')),
	    'flagged_ideas', (SELECT count(DISTINCT fl.target_id)
		FROM flags fl JOIN ideas i ON i.id = fl.target_id
		WHERE fl.kind = 'idea' AND fl.resolved_at IS NULL
		AND i.state = 'published'),
	    'flagged_comments', (SELECT count(DISTINCT fl.target_id)
		FROM flags fl JOIN comments c ON c.id = fl.target_id
		WHERE fl.kind = 'comment' AND fl.resolved_at IS NULL
		AND c.state = 'published'),
	    'defects', (SELECT count(*) FROM defect_reports
		WHERE state = 'pending') + (SELECT count(*)
		FROM defect_messages WHERE state = 'pending') +
		(SELECT count(*) FROM defect_photos WHERE state = 'pending'),
	    'decided', (SELECT count(*) FROM moderation_decisions
		WHERE decided_at > now() - interval '24 hours'))
$$;
