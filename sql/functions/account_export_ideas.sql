-- The ideas' part of account_export: what a person contributed (ideas,
-- comments, supports, flags) and, as a board member, assessed.
CREATE OR REPLACE FUNCTION account_export_ideas(p_account bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'ideas', coalesce((SELECT jsonb_agg(jsonb_build_object('id', i.id,
		'title', i.title, 'description', i.description,
		'field', (SELECT slug FROM fields WHERE id = i.field_id),
		'state', i.state, 'status', i.status, 'lat', i.lat,
		'lon', i.lon, 'created_at', i.created_at) ORDER BY i.id)
		FROM ideas i WHERE i.author_id = p_account), '[]'),
	    'comments', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'id', c.id, 'idea_id', c.idea_id, 'body', c.body,
		'state', c.state, 'created_at', c.created_at) ORDER BY c.id)
		FROM comments c WHERE c.author_id = p_account), '[]'),
	    'supports', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'idea_id', s.idea_id, 'created_at', s.created_at)
		ORDER BY s.idea_id) FROM supports s
		WHERE s.account_id = p_account), '[]'),
	    'flags', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'kind', f.kind, 'target_id', f.target_id, 'reason', f.reason,
		'note', f.note, 'created_at', f.created_at) ORDER BY f.id)
		FROM flags f WHERE f.account_id = p_account), '[]'),
	    'assessments', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'idea_id', x.idea_id, 'comment', x.comment,
		'submitted_at', x.submitted_at,
		'scores', (SELECT jsonb_object_agg(sc.criterion, sc.score)
		    FROM assessment_scores sc WHERE sc.idea_id = x.idea_id AND
		    sc.member_id = x.member_id)) ORDER BY x.idea_id)
		FROM assessments x WHERE x.member_id = p_account), '[]'))
$$;
