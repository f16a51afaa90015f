-- Whether an account gets a notification of this kind about something
-- p_actor did: never for an erased account, never about one's own doing,
-- and only while the person has not switched the kind off.
CREATE OR REPLACE FUNCTION notify_wanted(p_account bigint, p_actor bigint,
    p_kind text) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT p_account IS NOT NULL AND
	    p_account IS DISTINCT FROM p_actor AND
	    EXISTS (SELECT 1 FROM accounts a LEFT JOIN notification_settings s
		ON s.account_id = a.id
		WHERE a.id = p_account AND a.deleted_at IS NULL AND
		coalesce(CASE p_kind
		    WHEN 'idea_decision' THEN s.idea_decision
		    WHEN 'idea_status' THEN s.idea_status
		    WHEN 'comment_reply' THEN s.comment_reply
		    WHEN 'defect_status' THEN s.defect_status END, true))
$$;
