-- Open311 times: ISO 8601 (RFC 3339) in UTC, the zone always written.
CREATE OR REPLACE FUNCTION open311_time(p_at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;
