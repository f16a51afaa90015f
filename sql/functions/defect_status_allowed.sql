-- The steps of the workflow a member of staff may take.
CREATE OR REPLACE FUNCTION defect_status_allowed(p_from text, p_to text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_from
	    WHEN 'open' THEN p_to IN ('acknowledged', 'in_progress',
		'resolved', 'not_responsible', 'duplicate', 'rejected')
	    WHEN 'acknowledged' THEN p_to IN ('in_progress', 'resolved',
		'not_responsible', 'duplicate', 'rejected')
	    WHEN 'in_progress' THEN p_to IN ('resolved', 'not_responsible',
		'duplicate', 'rejected')
	    ELSE false
	END
$$;
