-- A person's defect reports (with their history, own messages and the
-- number of photos; photos are downloaded from the report) and supports.
-- Reports made anonymously are not linked to the account and so not here:
-- their status link shows them.
CREATE OR REPLACE FUNCTION account_export_defects(p_account bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    -- Every message of the dialogue, whatever a moderator decided:
	    -- the public view leaves rejected ones out, the export may not.
	    'defect_reports', (SELECT coalesce(jsonb_agg(
		defect_json(r.id, false, true, 'de') || jsonb_build_object(
		'messages', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		    'id', m.id, 'sender', m.sender, 'body', m.body,
		    'state', m.state, 'at', m.created_at) ORDER BY m.id), '[]')
		    FROM defect_messages m WHERE m.report_id = r.id))
		ORDER BY r.id), '[]')
		FROM defect_reports r WHERE r.reporter_id = p_account),
	    'defect_supports', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		'report', s.report_id, 'at', s.created_at)
		ORDER BY s.created_at), '[]') FROM defect_supports s
		WHERE s.account_id = p_account))
$$;
