-- The report a reporter may act on: by the status link's token hash, or
-- as the signed-in account that reported it.  Locked; 404 otherwise.
CREATE OR REPLACE FUNCTION defect_reporter(p_id bigint, p_hash bytea,
    p_account bigint) RETURNS defect_reports
LANGUAGE plpgsql AS $$
DECLARE
	r	defect_reports;
BEGIN
	SELECT * INTO r FROM defect_reports WHERE
	    (p_hash IS NOT NULL AND status_hash = p_hash AND
		(p_id IS NULL OR id = p_id)) OR
	    (p_hash IS NULL AND p_account IS NOT NULL AND id = p_id AND
		reporter_id = p_account)
	    FOR UPDATE;
	IF r.id IS NULL THEN
		PERFORM raise_client('defect_report', 'no such report');
	END IF;
	RETURN r;
END $$;
