-- The surveys' part of account_export: the person's own responses and
-- drafts.  Respondents are per-survey pseudonyms the database cannot
-- compute: the server passes the person's pseudonym for every survey
-- (survey_pseudonyms()).
DROP FUNCTION IF EXISTS account_export_surveys(bytea[]);
CREATE OR REPLACE FUNCTION account_export_surveys(p_respondents text)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'survey_responses', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'survey_id', r.survey_id, 'survey', s.title,
		'channel', r.channel,
		'district', (SELECT slug FROM districts WHERE id = r.district_id),
		'answers', r.answers, 'submitted_at', r.submitted_at)
		ORDER BY r.id) FROM survey_pseudonyms(p_respondents) p
		JOIN survey_responses r ON r.survey_id = p.survey_id AND
		    r.respondent = p.respondent
		JOIN surveys s ON s.id = r.survey_id), '[]'),
	    'survey_drafts', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'survey_id', d.survey_id, 'answers', d.answers, 'page', d.page,
		'updated_at', d.updated_at) ORDER BY d.survey_id)
		FROM survey_pseudonyms(p_respondents) p
		JOIN survey_drafts d ON d.survey_id = p.survey_id AND
		    d.respondent = p.respondent), '[]'))
$$;
