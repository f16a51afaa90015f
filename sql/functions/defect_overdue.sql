-- Overdue: not acknowledged within the category's ack_days, or not closed
-- within its resolve_days.
CREATE OR REPLACE FUNCTION defect_overdue(r defect_reports,
    c defect_categories) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT r.closed_at IS NULL AND (
	    (r.acknowledged_at IS NULL AND
		r.created_at < now() - make_interval(days => c.ack_days)) OR
	    r.created_at < now() - make_interval(days => c.resolve_days))
$$;
