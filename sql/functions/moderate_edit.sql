-- A moderator's edit; the previous text is kept.  The text's version is
-- the number of its revisions (only this function changes the words of
-- an idea or a comment, and each time adds one): an edit that names the
-- version it started from is refused once someone else edited since.
DROP FUNCTION IF EXISTS moderate_edit(bigint, text, bigint, text, text, text);
CREATE OR REPLACE FUNCTION moderate_edit(p_actor bigint, p_kind text,
    p_id bigint, p_title text, p_body text, p_note text, p_version int)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r	record;
BEGIN
	IF p_kind = 'idea' THEN
		SELECT title, description AS body INTO r FROM ideas
		    WHERE id = p_id FOR UPDATE;
	ELSE
		SELECT NULL::text AS title, body INTO r FROM comments
		    WHERE id = p_id FOR UPDATE;
	END IF;
	IF NOT FOUND THEN
		PERFORM raise_client('moderation_target', 'no such item');
	END IF;
	IF p_version IS NOT NULL AND p_version <> (SELECT count(*)
	    FROM idea_revisions WHERE kind = p_kind AND target_id = p_id) THEN
		PERFORM raise_client('moderation_edit_conflict',
		    'edited by someone else since');
	END IF;
	INSERT INTO idea_revisions (kind, target_id, title, body, note,
	    edited_by) VALUES (p_kind, p_id, r.title, r.body, p_note, p_actor);
	IF p_kind = 'idea' THEN
		UPDATE ideas SET title = coalesce(p_title, title),
		    description = coalesce(p_body, description),
		    updated_at = now() WHERE id = p_id;
	ELSE
		UPDATE comments SET body = coalesce(p_body, body)
		    WHERE id = p_id;
	END IF;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_actor, 'moderation.edit', p_kind, p_id,
	    jsonb_build_object('note', p_note, 'title_changed',
	    p_title IS NOT NULL AND p_title IS DISTINCT FROM r.title,
	    'body_changed', p_body IS NOT NULL AND p_body <> r.body));
	RETURN (SELECT jsonb_build_object('id', p_id, 'kind', p_kind,
	    'revisions', n, 'version', n) FROM (SELECT count(*) AS n
	    FROM idea_revisions WHERE kind = p_kind AND target_id = p_id) c);
END $$;
