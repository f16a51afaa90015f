-- Counts a submission under each key; seconds to wait, or 0 when allowed.
CREATE OR REPLACE FUNCTION submission_allowed(p_keys text[], p_limits int[],
    p_window int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	i	int;
	c	record;
	wait	int := 0;
BEGIN
	FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
		INSERT INTO submission_counts AS s (key) VALUES (p_keys[i])
		ON CONFLICT (key) DO UPDATE SET
		    count = CASE WHEN s.window_start <
			now() - make_interval(secs => p_window) THEN 1
			ELSE s.count + 1 END,
		    window_start = CASE WHEN s.window_start <
			now() - make_interval(secs => p_window) THEN now()
			ELSE s.window_start END
		RETURNING s.count, s.window_start INTO c;
		IF c.count > p_limits[i] THEN
			wait := greatest(wait, ceil(extract(epoch FROM
			    c.window_start + make_interval(secs => p_window) -
			    now()))::int, 1);
		END IF;
	END LOOP;
	RETURN wait;
END $$;
