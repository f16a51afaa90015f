-- A report as an Open311 service request (GET requests, requests/{id}).
-- The description only once a moderator published it; never the e-mail,
-- the contact details or the client's media_url (we do not vouch for what
-- it shows): media_url is our first published photo.  p_base is the
-- server's public URL.
CREATE OR REPLACE FUNCTION open311_request(r defect_reports, p_lang text,
    p_base text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'service_request_id', r.id::text,
	    'status', open311_status(r.status),
	    'status_notes', (SELECT h.note FROM defect_history h
		WHERE h.report_id = r.id AND h.note <> ''
		ORDER BY h.id DESC LIMIT 1),
	    'service_name', CASE WHEN p_lang = 'en' THEN c.name_en
		ELSE c.name_de END,
	    'service_code', c.code,
	    'description', CASE WHEN r.state = 'published' THEN
		r.description END,
	    'agency_responsible', CASE WHEN p_lang = 'en' THEN d.name_en
		ELSE d.name_de END,
	    'service_notice', NULL,
	    'address', r.address,
	    'address_id', NULL,
	    'zipcode', NULL,
	    'lat', r.lat,
	    'long', r.lon,
	    'media_url', (SELECT p_base || '/api/v1/defects/' || r.id ||
		'/photos/' || ph.position FROM defect_photos ph
		WHERE ph.report_id = r.id AND ph.state = 'published'
		ORDER BY ph.position LIMIT 1),
	    'requested_datetime', open311_time(r.created_at),
	    'updated_datetime', open311_time(coalesce(r.closed_at,
		r.updated_at)),
	    'expected_datetime', CASE WHEN r.closed_at IS NULL THEN
		open311_time(r.created_at + c.resolve_days *
		interval '1 day') END)
	FROM defect_categories c, departments d
	WHERE c.id = r.category_id AND d.id = r.department_id
$$;
