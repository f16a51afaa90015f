-- What waits for a moderator among defect reports: report texts, the
-- reporters' messages and photos, each filtered by the report's category,
-- district and age, oldest or newest first, and how many of each wait
-- under the same filters (the tabs of /moderation/maengel).
--
-- p_tab NULL gives a page of each list (the API); 'texts', 'messages' or
-- 'photos' one list after the keyset (p_after_a: creation time in µs,
-- p_after_b: id, as "q.a.b" oldest or "n.a.b" newest) with the cursor of
-- its last row in 'next' when more follow.
CREATE OR REPLACE FUNCTION moderation_defects(p_tab text, p_category text,
    p_district text, p_age int, p_sort text, p_after_a bigint,
    p_after_b bigint, p_limit int, p_lang text)
RETURNS json LANGUAGE sql STABLE AS $$
WITH reports AS (
	SELECT r.id, r.category_id, r.district_id, c.code AS category,
	    CASE WHEN p_lang = 'en' THEN c.name_en ELSE c.name_de END
		AS category_name,
	    CASE WHEN p_lang = 'en' THEN f.name_en ELSE f.name_de END
		AS field_name, d.name AS district_name
	FROM defect_reports r
	JOIN defect_categories c ON c.id = r.category_id
	LEFT JOIN fields f ON f.id = c.field_id
	LEFT JOIN districts d ON d.id = r.district_id
	WHERE (p_category IS NULL OR c.code = p_category)
	    AND (p_district IS NULL OR d.slug = p_district)),
waiting AS (
	SELECT 'texts' AS tab, r.id, r.id AS report, r.created_at
	FROM defect_reports r WHERE r.state = 'pending'
	UNION ALL
	SELECT 'messages', m.id, m.report_id, m.created_at
	FROM defect_messages m WHERE m.state = 'pending'
	UNION ALL
	SELECT 'photos', p.id, p.report_id, p.created_at
	FROM defect_photos p WHERE p.state = 'pending'),
filtered AS (
	SELECT w.*, rp.category, rp.category_name, rp.field_name,
	    rp.district_name,
	    (extract(epoch FROM w.created_at) * 1000000)::bigint AS us
	FROM waiting w JOIN reports rp ON rp.id = w.report
	WHERE p_age IS NULL OR w.created_at < now() - p_age * interval '1 day'),
page AS (
	SELECT f.*, row_number() OVER (PARTITION BY f.tab ORDER BY
	    CASE WHEN p_sort = 'newest' THEN -f.us ELSE f.us END,
	    CASE WHEN p_sort = 'newest' THEN -f.id ELSE f.id END) AS n
	FROM filtered f
	WHERE (p_tab IS NULL OR f.tab = p_tab) AND (p_after_a IS NULL OR
	    CASE WHEN p_sort = 'newest' THEN (f.us, f.id) < (p_after_a,
		p_after_b) ELSE (f.us, f.id) > (p_after_a, p_after_b) END)),
shown AS (
	SELECT p.*, json_build_object('category', p.category,
	    'category_name', p.category_name, 'field_name', p.field_name,
	    'district_name', p.district_name, 'created_at', p.created_at,
	    'created_local', to_char(p.created_at AT TIME ZONE
		'Europe/Berlin', 'YYYY-MM-DD"T"HH24:MI')) AS common
	FROM page p WHERE p.n <= coalesce(p_limit, 50))
SELECT json_build_object(
    'waiting', json_build_object(
	'defects', (SELECT count(*) FROM filtered WHERE tab = 'texts'),
	'messages', (SELECT count(*) FROM filtered WHERE tab = 'messages'),
	'photos', (SELECT count(*) FROM filtered WHERE tab = 'photos')),
    'defects', (SELECT coalesce(json_agg((jsonb_build_object('kind',
	'defect', 'id', r.id, 'text', r.description,
	'excerpt', left(r.description, 400), 'more', length(r.description) > 400,
	'address', r.address,
	'state', r.state, 'channel', r.channel, 'url', '/maengel/' || r.id) ||
	s.common::jsonb) ORDER BY s.n), '[]'::json)
	FROM shown s JOIN defect_reports r ON r.id = s.id
	WHERE s.tab = 'texts'),
    'messages', (SELECT coalesce(json_agg((jsonb_build_object('kind',
	'defect_message', 'id', m.id, 'report', m.report_id, 'text', m.body,
	'excerpt', left(m.body, 400), 'more', length(m.body) > 400,
	'state', m.state) || s.common::jsonb) ORDER BY s.n), '[]'::json)
	FROM shown s JOIN defect_messages m ON m.id = s.id
	WHERE s.tab = 'messages'),
    'photos', (SELECT coalesce(json_agg((jsonb_build_object('kind',
	'defect_photo', 'id', p.id, 'report', p.report_id, 'position',
	p.position, 'width', p.width, 'height', p.height, 'blurred',
	p.blurred, 'url', '/api/v1/defects/' || p.report_id || '/photos/' ||
	p.position, 'thumb_url', '/api/v1/defects/' || p.report_id ||
	'/photos/' || p.position || '?size=thumb') || s.common::jsonb)
	ORDER BY s.n), '[]'::json)
	FROM shown s JOIN defect_photos p ON p.id = s.id
	WHERE s.tab = 'photos'),
    'next', (SELECT CASE WHEN p_sort = 'newest' THEN 'n.' ELSE 'q.' END ||
	s.us || '.' || s.id FROM shown s WHERE p_tab IS NOT NULL
	AND s.n = coalesce(p_limit, 50) AND EXISTS (SELECT 1 FROM page x
	WHERE x.n > s.n)))
$$;
