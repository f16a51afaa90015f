-- An Open311 API key as admins see it: never the key or its hash.
CREATE OR REPLACE FUNCTION open311_key_json(k open311_keys) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', k.id, 'name', k.name,
	    'created_at', k.created_at, 'revoked_at', k.revoked_at,
	    'last_used_at', k.last_used_at)
$$;
