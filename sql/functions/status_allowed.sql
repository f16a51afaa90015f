-- Which public status may follow which.
CREATE OR REPLACE FUNCTION status_allowed(p_from text, p_to text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT (p_from, p_to) IN (
	    ('submitted', 'under_review'), ('submitted', 'not_feasible'),
	    ('submitted', 'duplicate'),
	    ('under_review', 'accepted'), ('under_review', 'not_feasible'),
	    ('under_review', 'duplicate'),
	    ('accepted', 'in_implementation'), ('accepted', 'not_feasible'),
	    ('in_implementation', 'implemented'),
	    ('in_implementation', 'not_feasible'),
	    -- A decision can be reopened, with a justification like any other.
	    ('not_feasible', 'under_review'), ('duplicate', 'under_review'))
$$;
