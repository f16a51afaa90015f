-- Open311 sends every attribute as text: a number attribute's value becomes
-- a JSON number when it reads as one, so defect_attributes_check sees the
-- types it checks; anything else is left for it to refuse by name.
CREATE OR REPLACE FUNCTION open311_attributes(p_code text, p_attrs jsonb)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT coalesce(jsonb_object_agg(x.key, CASE WHEN a.datatype = 'number'
	    AND jsonb_typeof(x.value) = 'string' AND
	    x.value #>> '{}' ~ '^-?[0-9]{1,9}(\.[0-9]{1,6})?$'
	    THEN to_jsonb((x.value #>> '{}')::numeric) ELSE x.value END),
	    '{}')
	FROM jsonb_each(p_attrs) x
	LEFT JOIN defect_categories c ON c.code = p_code
	LEFT JOIN defect_attributes a ON a.category_id = c.id AND
	    a.code = x.key
$$;
