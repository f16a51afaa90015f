-- The report, locked, if the acting staff may change it: staff of the
-- department it is routed to, or an admin.  Staff of another department
-- get 403 (defect_department), whatever the report's state.
CREATE OR REPLACE FUNCTION defect_for_staff(p_id bigint,
    p_department smallint, p_admin boolean) RETURNS defect_reports
LANGUAGE plpgsql AS $$
DECLARE
	r	defect_reports;
BEGIN
	SELECT * INTO r FROM defect_reports WHERE id = p_id FOR UPDATE;
	IF r.id IS NULL THEN
		PERFORM raise_client('defect_report', 'no such report');
	END IF;
	IF NOT coalesce(p_admin, false) AND
	    r.department_id IS DISTINCT FROM p_department THEN
		PERFORM raise_client('defect_department',
		    'the report is routed to another department');
	END IF;
	RETURN r;
END $$;
