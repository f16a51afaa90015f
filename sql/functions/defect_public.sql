-- Whether the public sees a report at all: not once a moderator rejected
-- or hid it (spam, a place named to harm someone).  The department still
-- works it, and its reporter still follows it.
CREATE OR REPLACE FUNCTION defect_public(r defect_reports) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT r.state NOT IN ('rejected', 'hidden')
$$;
