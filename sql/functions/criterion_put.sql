-- An administrator sets a selection criterion (PUT /api/v1/admin/
-- criteria/{slug}).  Leaving "active" out keeps a criterion's state (new
-- ones start active), so changing a retired criterion's weight does not
-- bring it back by accident.  The last active criterion cannot be
-- retired: assessments would then ask for nothing.  Changing a criterion
-- makes it the city's own: no longer a placeholder.
CREATE OR REPLACE FUNCTION criterion_put(p_actor bigint, p_slug text,
    p_name_de text, p_name_en text, p_weight numeric, p_position smallint,
    p_active boolean) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	c	criteria;
BEGIN
	-- One admin at a time, so two cannot retire the last two at once.
	LOCK TABLE criteria IN SHARE ROW EXCLUSIVE MODE;
	IF p_active IS FALSE AND NOT EXISTS (SELECT 1 FROM criteria
	    WHERE active AND slug <> p_slug) THEN
		PERFORM raise_client('criteria_one_active',
		    'at least one criterion stays active');
	END IF;
	INSERT INTO criteria (slug, name_de, name_en, weight, position, active)
	    VALUES (p_slug, p_name_de, p_name_en, p_weight, p_position,
	    coalesce(p_active, true))
	    ON CONFLICT (slug) DO UPDATE SET name_de = EXCLUDED.name_de,
	    name_en = EXCLUDED.name_en, weight = EXCLUDED.weight,
	    position = EXCLUDED.position,
	    active = coalesce(p_active, criteria.active), is_demo = false
	    RETURNING * INTO c;
	INSERT INTO audit_log (actor_id, action, target_kind, detail)
	    VALUES (p_actor, 'admin.criterion', 'criterion',
	    jsonb_build_object('slug', c.slug, 'weight', c.weight,
	    'active', c.active));
	RETURN jsonb_build_object('slug', c.slug, 'name_de', c.name_de,
	    'name_en', c.name_en, 'weight', c.weight, 'position', c.position,
	    'active', c.active, 'is_demo', c.is_demo);
END $$;
