-- A new defect report with its photos, in one statement: the report, the
-- processed photos, the first history row, the audit row and the
-- confirmation mail commit together or not at all.  Returns
-- {"defect": {...}, "id": n, "token": open311 token} or {"retry_after": s}.
-- The photos come processed (src/core/imaging.c): JPEGs and their sizes
-- in parallel arrays, in the order they were sent.
DROP FUNCTION IF EXISTS defect_submit(bigint, bigint, text, text, float8,
    float8, text, text, text, jsonb, bytea, bytea, bytea, boolean, bytea,
    bytea, text, bigint, text, bytea[], bytea[], int[], bytea, text[], int[],
    int, text);
CREATE OR REPLACE FUNCTION defect_submit(p_reporter bigint,
    p_entered_by bigint, p_channel text, p_category text, p_lat float8,
    p_lon float8, p_address text, p_district text, p_description text,
    p_attributes jsonb, p_email_lookup bytea, p_email_ct bytea,
    p_contact_ct bytea, p_notify boolean, p_nonce bytea,
    p_status_hash bytea, p_open311_token text, p_api_key bigint,
    p_media_url text, p_images bytea[], p_thumbs bytea[], p_widths int[],
    p_heights int[], p_thumb_widths int[], p_thumb_heights int[],
    p_mail bytea, p_keys text[], p_limits int[], p_window int, p_lang text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	wait	int;
	cat	defect_categories;
	did	smallint;
	nid	bigint;
BEGIN
	wait := submission_allowed(p_keys, p_limits, p_window);
	IF wait > 0 THEN
		RETURN jsonb_build_object('retry_after', wait);
	END IF;
	SELECT * INTO cat FROM defect_categories
	    WHERE code = p_category AND active;
	IF cat.id IS NULL THEN
		PERFORM raise_client('defect_category', 'unknown category');
	END IF;
	IF p_district IS NOT NULL THEN
		SELECT id INTO did FROM districts
		    WHERE slug = p_district AND active;
		IF did IS NULL THEN
			PERFORM raise_client('defect_district',
			    'unknown or retired district');
		END IF;
	END IF;
	PERFORM defect_attributes_check(cat.id, coalesce(p_attributes, '{}'));
	IF p_reporter IS NOT NULL AND p_entered_by IS NOT NULL AND NOT EXISTS
	    (SELECT 1 FROM accounts WHERE id = p_reporter AND
	    deleted_at IS NULL) THEN
		PERFORM raise_client('defect_citizen', 'unknown account');
	END IF;
	INSERT INTO defect_reports (category_id, department_id, reporter_id,
	    entered_by, channel, api_key_id, email_lookup, email_ct,
	    contact_ct, notify, status_nonce, status_hash, open311_token, lat,
	    lon, address, district_id, description, attributes, media_url)
	VALUES (cat.id, cat.department_id, p_reporter, p_entered_by,
	    p_channel, p_api_key, p_email_lookup, p_email_ct, p_contact_ct,
	    coalesce(p_notify, true), p_nonce, p_status_hash,
	    p_open311_token, p_lat, p_lon, p_address, did, p_description,
	    coalesce(p_attributes, '{}'), p_media_url)
	RETURNING id INTO nid;
	INSERT INTO defect_photos (report_id, position, image, thumb, width,
	    height, thumb_width, thumb_height)
	SELECT nid, p.n, p.i, p.t, p.w, p.h, p.tw, p.th
	FROM unnest(p_images, p_thumbs, p_widths, p_heights, p_thumb_widths,
	    p_thumb_heights) WITH ORDINALITY AS p(i, t, w, h, tw, th, n);
	INSERT INTO defect_history (report_id, status, department_id,
	    actor_kind, actor_id)
	VALUES (nid, 'open', cat.department_id, 'system',
	    coalesce(p_entered_by, p_reporter));
	INSERT INTO audit_log (actor_id, action, target_kind, target_id,
	    detail) VALUES (coalesce(p_entered_by, p_reporter),
	    'defect.submit', 'defect', nid, jsonb_build_object('channel',
	    p_channel, 'category', p_category, 'photos',
	    coalesce(array_length(p_images, 1), 0), 'api_key', p_api_key,
	    'on_behalf_of', CASE WHEN p_entered_by IS NOT NULL THEN
	    p_reporter END));
	IF p_mail IS NOT NULL THEN
		INSERT INTO outbox (account_id, sealed)
		    VALUES (p_reporter, p_mail);
		PERFORM pg_notify('outbox', '');
	END IF;
	RETURN jsonb_build_object('id', nid, 'token', p_open311_token,
	    'defect', defect_json(nid, false, true, p_lang));
END $$;
