-- Revokes an Open311 API key (once: a revoked key keeps its first
-- revocation time).  No row for an unknown key.
CREATE OR REPLACE FUNCTION open311_key_revoke(p_admin bigint, p_id bigint)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	k	open311_keys;
BEGIN
	UPDATE open311_keys SET revoked_at = coalesce(revoked_at, now())
	    WHERE id = p_id RETURNING * INTO k;
	IF k.id IS NULL THEN
		RETURN NULL;
	END IF;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_admin, 'open311_key.revoke', 'open311_key',
	    k.id, jsonb_build_object('name', k.name));
	RETURN open311_key_json(k);
END $$;
