-- Notifications follow the audit log, the one record every moderation
-- decision, idea status change and comment goes through with its actor
-- (moderate(), idea_set_status(), comment_submit()), so the API, the
-- pages and bulk decisions all notify alike, in their own transaction.
--   moderation.publish/reject of an idea → its author (idea_decision),
--     with the moderator's reason and explanation;
--   idea.status → the idea's author (idea_status), with the
--     justification;
--   a reply published (at once after post-moderation, or by a
--     moderator) → the author of the comment it answers (comment_reply),
--     unless they replied to themselves.
-- Words are put in the account's language here; the public status is
-- named by its catalogue key ("i18n:statuses.<status>"), which the mailer
-- looks up in the same catalogue the pages use.
CREATE OR REPLACE FUNCTION notify_on_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	i	ideas%ROWTYPE;
	c	comments%ROWTYPE;
	parent	bigint;
	lang	text;
BEGIN
	IF NEW.target_kind = 'idea' AND NEW.action IN ('moderation.publish',
	    'moderation.reject', 'moderation.restore') AND
	    NEW.detail->>'to' IN ('published', 'rejected') THEN
		SELECT * INTO i FROM ideas WHERE id = NEW.target_id;
		lang := notify_lang(i.author_id);
		PERFORM notify_account(i.author_id, NEW.actor_id,
		    'idea_decision', '/ideen/' || i.id,
		    jsonb_build_object('title', i.title,
		    NEW.detail->>'to', 'yes',
		    'reason', (SELECT CASE lang WHEN 'en' THEN r.label_en
			ELSE r.label_de END FROM moderation_reasons r
			WHERE r.slug = NEW.detail->>'reason'),
		    'explanation', NEW.detail->>'explanation'));
	ELSIF NEW.target_kind = 'idea' AND NEW.action = 'idea.status' THEN
		SELECT * INTO i FROM ideas WHERE id = NEW.target_id;
		PERFORM notify_account(i.author_id, NEW.actor_id,
		    'idea_status', '/ideen/' || i.id,
		    jsonb_build_object('title', i.title,
		    'status', 'i18n:statuses.' || (NEW.detail->>'to'),
		    'justification', NEW.detail->>'justification'));
	ELSIF NEW.target_kind = 'comment' AND ((NEW.action = 'comment.submit'
	    AND NEW.detail->>'state' = 'published') OR
	    (NEW.action = 'moderation.publish' AND
	    NEW.detail->>'from' = 'pending')) THEN
		SELECT * INTO c FROM comments WHERE id = NEW.target_id;
		SELECT p.author_id INTO parent FROM comments p
		WHERE p.id = c.parent_id;
		IF parent IS NOT NULL AND parent IS DISTINCT FROM c.author_id
		THEN
			SELECT * INTO i FROM ideas WHERE id = c.idea_id;
			-- The reply's author acted, whoever published it.
			PERFORM notify_account(parent, c.author_id,
			    'comment_reply', '/ideen/' || i.id ||
			    '#kommentar-' || c.id,
			    jsonb_build_object('title', i.title));
		END IF;
	END IF;
	RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER notify_audit AFTER INSERT ON audit_log
	FOR EACH ROW WHEN (NEW.action IN ('moderation.publish',
	    'moderation.reject', 'moderation.restore', 'idea.status',
	    'comment.submit'))
	EXECUTE FUNCTION notify_on_audit();
