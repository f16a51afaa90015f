-- One support per account and idea; adding it twice changes nothing.
CREATE OR REPLACE FUNCTION support_add(p_account bigint, p_idea bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	created	boolean;
	n	int;
BEGIN
	PERFORM 1 FROM ideas WHERE id = p_idea AND state = 'published';
	IF NOT FOUND THEN
		PERFORM raise_client('support_idea', 'no such idea');
	END IF;
	INSERT INTO supports (idea_id, account_id) VALUES (p_idea, p_account)
	    ON CONFLICT DO NOTHING;
	created := FOUND;
	IF created THEN
		UPDATE ideas SET support_count = support_count + 1
		    WHERE id = p_idea RETURNING support_count INTO n;
	ELSE
		SELECT support_count INTO n FROM ideas WHERE id = p_idea;
	END IF;
	RETURN jsonb_build_object('created', created, 'supports', n);
END $$;
