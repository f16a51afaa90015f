-- Open311 knows two statuses: ours while a department still works a
-- report are "open", every end of the workflow is "closed" (the finer
-- status and its note go into status_notes).  README "Open311".
CREATE OR REPLACE FUNCTION open311_status(p_status text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_status IN ('open', 'acknowledged', 'in_progress')
	    THEN 'open' ELSE 'closed' END
$$;
