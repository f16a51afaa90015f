-- Creates (p_cid NULL) or replaces a project's success criterion.  A
-- derived criterion names its source: a survey (out of draft) and one of
-- its questions, or a defect category by code.  Switching a criterion
-- from manual to derived drops nothing: its measurements stay stored but
-- are not shown while it is derived.
CREATE OR REPLACE FUNCTION success_criterion_save(p_project bigint,
    p_cid bigint, p_by bigint, p_name_de text, p_name_en text, p_unit text,
    p_baseline numeric, p_baseline_on date, p_target numeric,
    p_target_on date, p_source text, p_derivation text, p_survey bigint,
    p_question text, p_category text, p_position int, p_lang text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	cid	bigint := p_cid;
	cat	smallint;
	c	success_criteria;
BEGIN
	PERFORM 1 FROM projects WHERE id = p_project FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM raise_client('project_missing', 'no such project');
	END IF;
	IF p_derivation = 'survey_mean' AND NOT EXISTS (SELECT 1 FROM surveys
	    WHERE id = p_survey AND status <> 'draft') THEN
		PERFORM raise_client('success_survey', 'unknown survey');
	END IF;
	IF p_category IS NOT NULL THEN
		SELECT id INTO cat FROM defect_categories
		    WHERE code = p_category;
		IF cat IS NULL THEN
			PERFORM raise_client('success_category',
			    'unknown category');
		END IF;
	END IF;
	IF cid IS NULL THEN
		INSERT INTO success_criteria (project_id, name_de, name_en,
		    unit, baseline, baseline_on, target, target_on, source,
		    derivation, survey_id, question, category_id, position)
		VALUES (p_project, p_name_de, p_name_en, coalesce(p_unit, ''),
		    p_baseline, p_baseline_on, p_target, p_target_on,
		    coalesce(p_source, ''), p_derivation, p_survey, p_question,
		    cat, coalesce(p_position, 0))
		RETURNING id INTO cid;
	ELSE
		UPDATE success_criteria SET name_de = p_name_de,
		    name_en = p_name_en, unit = coalesce(p_unit, ''),
		    baseline = p_baseline, baseline_on = p_baseline_on,
		    target = p_target, target_on = p_target_on,
		    source = coalesce(p_source, ''), derivation = p_derivation,
		    survey_id = p_survey, question = p_question,
		    category_id = cat, position = coalesce(p_position, 0)
		    WHERE id = cid AND project_id = p_project;
		IF NOT FOUND THEN
			PERFORM raise_client('success_missing',
			    'no such criterion');
		END IF;
	END IF;
	UPDATE projects SET updated_at = now(), version = version + 1
	    WHERE id = p_project;
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_by, CASE WHEN p_cid IS NULL THEN
	    'project.criterion_create' ELSE 'project.criterion_update' END,
	    'project', p_project, jsonb_build_object('criterion', cid,
	    'name', p_name_de, 'target', p_target, 'target_on', p_target_on));
	SELECT * INTO c FROM success_criteria WHERE id = cid;
	RETURN success_criterion_json(c, p_lang);
END $$;
