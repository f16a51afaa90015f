-- How long a moderator may take a decision back: long enough to notice a
-- slip on the next row, short enough that the author has hardly seen it
-- (a decision notifies the author; an undo after hours would confuse).
CREATE OR REPLACE FUNCTION moderation_undo_window()
RETURNS interval LANGUAGE sql IMMUTABLE AS $$
	SELECT interval '10 minutes'
$$;
