-- An admin issues an Open311 API key; only its keyed hash is stored, the
-- key itself is shown once by the handler.
CREATE OR REPLACE FUNCTION open311_key_create(p_admin bigint, p_name text,
    p_hash bytea) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	k	open311_keys;
BEGIN
	INSERT INTO open311_keys (name, key_hash, created_by)
	    VALUES (p_name, p_hash, p_admin) RETURNING * INTO k;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_admin, 'open311_key.create', 'open311_key',
	    k.id, jsonb_build_object('name', p_name));
	RETURN open311_key_json(k);
END $$;
