-- Checks Open311 attribute values against the category's definitions:
-- every required one given, none unknown, each of its datatype.
CREATE OR REPLACE FUNCTION defect_attributes_check(p_category smallint,
    p_attrs jsonb) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
	a	defect_attributes;
	k	text;
	v	jsonb;
BEGIN
	IF jsonb_typeof(p_attrs) <> 'object' THEN
		PERFORM raise_client('defect_attribute',
		    'attributes must be an object');
	END IF;
	FOR k IN SELECT jsonb_object_keys(p_attrs) LOOP
		IF NOT EXISTS (SELECT 1 FROM defect_attributes WHERE
		    category_id = p_category AND code = k) THEN
			PERFORM raise_client('defect_attribute',
			    format('attribute[%s] is not asked for this '
			    'category', k));
		END IF;
	END LOOP;
	FOR a IN SELECT * FROM defect_attributes
	    WHERE category_id = p_category LOOP
		v := p_attrs -> a.code;
		IF v IS NULL OR v = 'null' THEN
			IF a.required THEN
				PERFORM raise_client('defect_attribute',
				    format('attribute[%s] is required',
				    a.code));
			END IF;
			CONTINUE;
		END IF;
		IF (a.datatype = 'number' AND jsonb_typeof(v) <> 'number') OR
		    (a.datatype IN ('string', 'text', 'datetime',
		    'singlevaluelist') AND jsonb_typeof(v) <> 'string') OR
		    (a.datatype = 'multivaluelist' AND
		    jsonb_typeof(v) <> 'array') THEN
			PERFORM raise_client('defect_attribute',
			    format('attribute[%s] must be a %s', a.code,
			    a.datatype));
		END IF;
		IF a.datatype = 'singlevaluelist' AND NOT EXISTS (SELECT 1
		    FROM jsonb_array_elements(a."values") e
		    WHERE e->>'key' = v #>> '{}') THEN
			PERFORM raise_client('defect_attribute',
			    format('attribute[%s] is not one of its values',
			    a.code));
		END IF;
		IF a.datatype = 'multivaluelist' AND EXISTS (SELECT 1
		    FROM jsonb_array_elements(v) x WHERE jsonb_typeof(x) <>
		    'string' OR NOT EXISTS (SELECT 1 FROM
		    jsonb_array_elements(a."values") e
		    WHERE e->>'key' = x #>> '{}')) THEN
			PERFORM raise_client('defect_attribute',
			    format('attribute[%s] has a value that is not '
			    'one of its values', a.code));
		END IF;
		IF a.datatype IN ('string', 'text') AND
		    length(v #>> '{}') > 500 THEN
			PERFORM raise_client('defect_attribute',
			    format('attribute[%s] is longer than 500 '
			    'characters', a.code));
		END IF;
		IF a.datatype = 'number' AND ((v::text)::numeric < 0 OR
		    (v::text)::numeric > 1000000) THEN
			PERFORM raise_client('defect_attribute',
			    format('attribute[%s] is out of range', a.code));
		END IF;
	END LOOP;
END $$;
