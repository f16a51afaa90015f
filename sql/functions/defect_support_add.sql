-- "Already reported": one support per person (account or client key,
-- as a keyed hash) for an open report.  {"created": bool, "supports": n}
CREATE OR REPLACE FUNCTION defect_support_add(p_id bigint,
    p_supporter bytea, p_account bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	n	int;
	made	boolean;
BEGIN
	PERFORM 1 FROM defect_reports WHERE id = p_id AND closed_at IS NULL
	    FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM raise_client('defect_support_report',
		    'no open report with this id');
	END IF;
	INSERT INTO defect_supports (report_id, supporter, account_id)
	VALUES (p_id, p_supporter, p_account) ON CONFLICT DO NOTHING;
	made := FOUND;
	UPDATE defect_reports SET support_count = support_count +
	    CASE WHEN made THEN 1 ELSE 0 END WHERE id = p_id
	    RETURNING support_count INTO n;
	RETURN jsonb_build_object('created', made, 'supports', n);
END $$;
