-- A report's durations: whole days from creation to acknowledgement, and
-- to closing when it was resolved (not when it was rejected or passed on);
-- 366 stands for a year or more.
CREATE OR REPLACE FUNCTION stats_durations_defect(p_created timestamptz,
    p_category smallint, p_acknowledged timestamptz, p_status text,
    p_closed timestamptz)
RETURNS SETOF stats_span LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT s.kind, stats_month(p_created), p_category,
	    least(366, greatest(0, floor(extract(epoch FROM s.at - p_created) /
	    86400)))::integer, 1::bigint
	FROM (VALUES ('ack', p_acknowledged), ('resolve', CASE WHEN
	    p_status = 'resolved' THEN p_closed END)) s (kind, at)
	WHERE s.at IS NOT NULL;
$$;
