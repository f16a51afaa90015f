-- Creates (p_id NULL) or replaces a Projektsteckbrief.  p_version is the
-- client's expectation (optimistic concurrency, as for surveys), NULL for
-- none.  The status is not part of it: project_set_status and the
-- board's decision change it, each with its history entry.
CREATE OR REPLACE FUNCTION project_save(p_id bigint, p_by bigint,
    p_version int, p_title_de text, p_title_en text, p_summary_de text,
    p_summary_en text, p_department text, p_partners text, p_starts_on date,
    p_ends_on date, p_budget numeric, p_fields text[], p_goals text[],
    p_ideas bigint[], p_surveys bigint[], p_lang text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	pid	bigint := p_id;
	v	int;
	dept	smallint;
BEGIN
	IF p_department IS NOT NULL THEN
		SELECT id INTO dept FROM departments WHERE slug = p_department;
		IF dept IS NULL THEN
			PERFORM raise_client('project_department',
			    'unknown department');
		END IF;
	END IF;
	IF pid IS NULL THEN
		INSERT INTO projects (title_de, title_en, summary_de,
		    summary_en, department_id, partners, starts_on, ends_on,
		    budget_eur, created_by)
		VALUES (p_title_de, p_title_en, p_summary_de, p_summary_en,
		    dept, coalesce(p_partners, ''), p_starts_on, p_ends_on,
		    p_budget, p_by)
		RETURNING id, version INTO pid, v;
		INSERT INTO project_history (project_id, status, note,
		    changed_by) VALUES (pid, 'proposed', '', p_by);
	ELSE
		SELECT version INTO v FROM projects WHERE id = pid FOR UPDATE;
		IF v IS NULL THEN
			PERFORM raise_client('project_missing',
			    'no such project');
		END IF;
		IF p_version IS NOT NULL AND p_version <> v THEN
			PERFORM raise_client('project_version',
			    'changed meanwhile');
		END IF;
		v := v + 1;
		UPDATE projects SET title_de = p_title_de,
		    title_en = p_title_en, summary_de = p_summary_de,
		    summary_en = p_summary_en, department_id = dept,
		    partners = coalesce(p_partners, ''),
		    starts_on = p_starts_on, ends_on = p_ends_on,
		    budget_eur = p_budget, updated_at = now(), version = v
		    WHERE id = pid;
	END IF;
	PERFORM project_links(pid, p_fields, p_goals, p_ideas, p_surveys);
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (p_by, CASE WHEN p_id IS NULL THEN
	    'project.create' ELSE 'project.update' END, 'project', pid,
	    jsonb_build_object('version', v, 'title', p_title_de));
	RETURN project_json(pid, p_lang);
END $$;
