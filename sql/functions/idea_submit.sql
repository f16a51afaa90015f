-- A new idea.  Returns {"idea": {...}} or {"retry_after": seconds} when a
-- rate limit is reached (the count of the attempt is kept).
CREATE OR REPLACE FUNCTION idea_submit(p_author bigint, p_entered_by bigint,
    p_channel text, p_title text, p_description text, p_field text,
    p_goals text[], p_district text, p_lat float8, p_lon float8,
    p_keys text[], p_limits int[], p_window int, p_lang text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	wait	int;
	fid	smallint;
	did	smallint;
	nid	bigint;
	st	text;
BEGIN
	wait := submission_allowed(p_keys, p_limits, p_window);
	IF wait > 0 THEN
		RETURN jsonb_build_object('retry_after', wait);
	END IF;
	SELECT id INTO fid FROM fields WHERE slug = p_field;
	IF fid IS NULL THEN
		PERFORM raise_client('idea_field', 'unknown field');
	END IF;
	IF p_district IS NOT NULL THEN
		SELECT id INTO did FROM districts
		    WHERE slug = p_district AND active;
		IF did IS NULL THEN
			PERFORM raise_client('idea_district',
			    'unknown or retired district');
		END IF;
	END IF;
	IF (SELECT count(*) FROM goals WHERE slug = ANY (p_goals)) <>
	    (SELECT count(DISTINCT g) FROM unnest(p_goals) g) THEN
		PERFORM raise_client('idea_goals', 'unknown goal');
	END IF;
	IF p_author IS NOT NULL AND p_entered_by IS NOT NULL AND NOT EXISTS
	    (SELECT 1 FROM accounts WHERE id = p_author AND
	    deleted_at IS NULL) THEN
		PERFORM raise_client('idea_citizen', 'unknown account');
	END IF;
	st := CASE setting('moderation_mode') WHEN 'post' THEN 'published'
	    ELSE 'pending' END;
	INSERT INTO ideas (title, description, field_id, district_id, lat,
	    lon, author_id, entered_by, channel, state, published_at)
	VALUES (p_title, p_description, fid, did, p_lat, p_lon, p_author,
	    p_entered_by, p_channel, st,
	    CASE WHEN st = 'published' THEN now() END)
	RETURNING id INTO nid;
	INSERT INTO idea_goals (idea_id, goal_id)
	    SELECT nid, id FROM goals WHERE slug = ANY (p_goals);
	INSERT INTO idea_status_history (idea_id, status, justification,
	    changed_by) VALUES (nid, 'submitted', '',
	    coalesce(p_entered_by, p_author));
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (coalesce(p_entered_by, p_author), 'idea.submit',
	    'idea', nid, jsonb_build_object('state', st, 'channel', p_channel,
	    'on_behalf_of', CASE WHEN p_entered_by IS NOT NULL THEN
	    p_author END));
	RETURN jsonb_build_object('idea', idea_json(nid,
	    coalesce(p_entered_by, p_author), false, p_lang));
END $$;
