-- The cells an idea counts in, by the columns that decide them; used by
-- the trigger (stats_on_ideas) and the recount alike, so they cannot
-- disagree.  Every idea is submitted; a published one counts as published,
-- as accepted while its status is accepted or beyond, as implemented once
-- implemented.  Its author takes part through the submission only.
CREATE OR REPLACE FUNCTION stats_cells_idea(p_created timestamptz,
    p_field smallint, p_district smallint, p_channel text, p_state text,
    p_status text, p_author bigint)
RETURNS SETOF stats_delta LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT m.metric, stats_month(p_created), p_field,
	    coalesce(p_district, 0)::smallint, p_channel,
	    CASE WHEN m.metric = 'ideas_submitted' THEN p_author END, 1::bigint
	FROM (VALUES ('ideas_submitted', true),
	    ('ideas_published', p_state = 'published'),
	    ('ideas_accepted', p_state = 'published' AND p_status IN
		('accepted', 'in_implementation', 'implemented')),
	    ('ideas_implemented', p_state = 'published' AND
		p_status = 'implemented')) m (metric, counted)
	WHERE m.counted;
$$;
