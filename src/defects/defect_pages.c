/*
 * The defect reporter (Mängelmelder) as plain HTML pages that work without
 * JavaScript and without an account: the public list and detail, the
 * report form in two steps (where and what first, so reports nearby are
 * offered before anyone uploads a photo), the reporter's private status
 * page, the departments' queue and detail, and the moderation of report
 * texts, messages and photos.  With JavaScript, defect-map.js adds a map
 * picker to the form and a map to the list (Leaflet, from this server).
 *
 * The pages read through queries of their own over defect_json and the
 * tables; every form runs the API's handler (defects.c) with
 * rq->form_page set, so every check and every write is the API's.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defects.h"
#include "../ideas/ideas.h"

/* Reports per page of the public list and of the queue. */
#define LIST_PAGE	20
#define QUEUE_PAGE	50

/* Categories, districts and departments: the choices of every page. */
static const char SQL_DEFECT_CHOICES[] =
    "SELECT json_build_object("
    " 'categories', (SELECT coalesce(json_agg(json_build_object("
    "  'code', code, 'name', CASE WHEN $1 = 'en' THEN name_en ELSE name_de"
    "  END, 'description', CASE WHEN $1 = 'en' THEN description_en ELSE"
    "  description_de END) ORDER BY position), '[]') FROM defect_categories"
    "  WHERE active),"
    " 'districts', (SELECT coalesce(json_agg(json_build_object('slug', slug,"
    "  'name', name) ORDER BY position), '[]') FROM districts),"
    " 'departments', (SELECT coalesce(json_agg(json_build_object('slug',"
    "  slug, 'name', CASE WHEN $1 = 'en' THEN name_en ELSE name_de END)"
    "  ORDER BY id), '[]') FROM departments))";

/*
 * The public list, newest first: every report but the ones a moderator
 * rejected or hid (where and what is public at once, the text only once
 * published: defect_json).  One more than a page tells there is a next.
 */
static const char SQL_DEFECT_LIST[] =
    "SELECT coalesce(json_agg(x ORDER BY x.id DESC), '[]') FROM ("
    " SELECT r.id, r.status, r.address, r.lat, r.lon,"
    "  r.support_count AS supports, r.created_at,"
    "  current_date - r.created_at::date AS age_days,"
    "  CASE WHEN $5 = 'en' THEN c.name_en ELSE c.name_de END AS category,"
    "  d.name AS district"
    " FROM defect_reports r JOIN defect_categories c ON c.id = r.category_id"
    " LEFT JOIN districts d ON d.id = r.district_id"
    " WHERE r.state IN ('pending', 'published')"
    "  AND ($1::text IS NULL OR c.code = $1)"
    "  AND ($2::text IS NULL OR r.status = $2)"
    "  AND ($3::text IS NULL OR d.slug = $3)"
    "  AND ($4::bigint IS NULL OR r.id < $4)"
    " ORDER BY r.id DESC LIMIT 21) x";

/*
 * Open reports of a category within the duplicate radius of a point
 * (haversine, metres), nearest first: "already reported".
 */
static const char SQL_DEFECT_NEARBY[] =
    "SELECT coalesce(json_agg(x ORDER BY x.distance), '[]') FROM ("
    " SELECT r.id, r.status, r.address, r.support_count AS supports,"
    "  r.created_at, round(n.m)::int AS distance"
    " FROM defect_reports r JOIN defect_categories c ON c.id = r.category_id"
    " CROSS JOIN LATERAL (SELECT 12742000 * asin(sqrt("
    "  sin(radians(r.lat - $2::float8) / 2) ^ 2 + cos(radians($2::float8))"
    "  * cos(radians(r.lat)) * sin(radians(r.lon - $3::float8) / 2) ^ 2))"
    "  AS m) n"
    " WHERE c.code = $1 AND r.closed_at IS NULL AND r.lat IS NOT NULL"
    "  AND r.state IN ('pending', 'published') AND n.m <= $4::int"
    " ORDER BY n.m LIMIT 10) x";

/* A report's public page: rejected or hidden ones only for the reporter. */
static const char SQL_DEFECT_PAGE[] =
    "SELECT defect_json(r.id, false, r.reporter_id = $2::bigint, $3)"
    " FROM defect_reports r WHERE r.id = $1::bigint"
    "  AND (r.state IN ('pending', 'published')"
    "  OR r.reporter_id = $2::bigint)";

/*
 * The reporter's page by the status link: everything of the report, and
 * what the reporter may still do (confirm, reopen: within reopen_days of
 * closing; the API decides, the page only explains).
 */
static const char SQL_DEFECT_STATUS_PAGE[] =
    "SELECT jsonb_build_object('report', defect_json(r.id, false, true, $2),"
    " 'has_email', r.email_ct IS NOT NULL, 'notify', r.notify,"
    " 'in_window', r.closed_at > now() - make_interval(days => $3::int),"
    " 'closed', r.closed_at IS NOT NULL,"
    " 'until', (r.closed_at + make_interval(days => $3::int))::date)"
    " FROM defect_reports r WHERE r.status_hash = $1::bytea";

/*
 * The queue of a department (all for an admin), oldest first, with the
 * counts per status and of overdue reports.  Status "active" is every
 * report not closed yet.
 */
static const char SQL_STAFF_QUEUE[] =
    "WITH q AS (SELECT r.id, r.status, r.address, r.lat, r.lon,"
    "  r.support_count, r.created_at, r.state, c.code,"
    "  CASE WHEN $6 = 'en' THEN c.name_en ELSE c.name_de END AS category,"
    "  CASE WHEN $6 = 'en' THEN d.name_en ELSE d.name_de END AS department,"
    "  defect_overdue(r, c) AS overdue"
    " FROM defect_reports r JOIN defect_categories c ON c.id = r.category_id"
    " JOIN departments d ON d.id = r.department_id"
    " WHERE ($1::text IS NULL OR d.slug = $1)"
    "  AND r.state IN ('pending', 'published'))"
    "SELECT json_build_object("
    " 'counts', (SELECT coalesce(json_object_agg(status, n), '{}') FROM"
    "  (SELECT status, count(*) AS n FROM q GROUP BY status) s),"
    " 'overdue', (SELECT count(*) FROM q WHERE overdue),"
    " 'reports', (SELECT coalesce(json_agg(json_build_object('id', id,"
    "  'status', status, 'address', address, 'lat', lat, 'lon', lon,"
    "  'supports', support_count, 'created_at', created_at,"
    "  'age_days', current_date - created_at::date, 'category', category,"
    "  'department', department, 'overdue', overdue,"
    "  'pending', state = 'pending') ORDER BY created_at, id), '[]')"
    "  FROM (SELECT * FROM q"
    "   WHERE (coalesce($2, 'active') = 'all' OR"
    "    ($2 IS NULL OR $2 = 'active') AND status IN ('open',"
    "    'acknowledged', 'in_progress') OR status = $2)"
    "   AND ($3::text IS NULL OR code = $3)"
    "   AND ($4::text IS NULL OR overdue)"
    "   AND ($5::bigint IS NULL OR id > $5)"
    "   ORDER BY created_at, id LIMIT 51) x))";

/* A report for staff: everything, the next steps, may the viewer act. */
static const char SQL_STAFF_DEFECT[] =
    "SELECT jsonb_build_object('report', defect_json(r.id, true, false, $2),"
    " 'next', (SELECT coalesce(jsonb_agg(s ORDER BY o), '[]') FROM"
    "  unnest(ARRAY['acknowledged', 'in_progress', 'resolved',"
    "  'not_responsible', 'duplicate', 'rejected']) WITH ORDINALITY"
    "  AS t(s, o) WHERE defect_status_allowed(r.status, s)),"
    " 'may_act', $4::boolean OR d.slug = $3)"
    " FROM defect_reports r JOIN departments d ON d.id = r.department_id"
    " WHERE r.id = $1::bigint";

/* What waits for a moderator: report texts, reporter messages, photos. */
static const char SQL_DEFECT_MODERATION[] =
    "SELECT json_build_object("
    " 'reports', (SELECT coalesce(json_agg(json_build_object('id', r.id,"
    "  'category', CASE WHEN $1 = 'en' THEN c.name_en ELSE c.name_de END,"
    "  'description', r.description, 'address', r.address,"
    "  'created_at', r.created_at) ORDER BY r.created_at, r.id), '[]')"
    "  FROM (SELECT * FROM defect_reports WHERE state = 'pending'"
    "  ORDER BY created_at, id LIMIT 100) r"
    "  JOIN defect_categories c ON c.id = r.category_id),"
    " 'messages', (SELECT coalesce(json_agg(json_build_object('id', m.id,"
    "  'report_id', m.report_id, 'body', m.body, 'created_at',"
    "  m.created_at) ORDER BY m.created_at, m.id), '[]') FROM"
    "  (SELECT * FROM defect_messages WHERE state = 'pending'"
    "  ORDER BY created_at, id LIMIT 100) m),"
    " 'photos', (SELECT coalesce(json_agg(json_build_object('id', p.id,"
    "  'report_id', p.report_id, 'position', p.position,"
    "  'width', p.width, 'height', p.height,"
    "  'thumb_width', p.thumb_width, 'thumb_height', p.thumb_height,"
    "  'url', '/api/v1/defects/' || p.report_id || '/photos/' || p.position,"
    "  'thumb_url', '/api/v1/defects/' || p.report_id || '/photos/' ||"
    "  p.position || '?size=thumb') ORDER BY p.created_at, p.id), '[]') FROM"
    "  (SELECT * FROM defect_photos WHERE state = 'pending'"
    "  ORDER BY created_at, id LIMIT 100) p))";

static const char *const choices_args[] = { "@lang", NULL };
static const char *const list_args[] = { "category", "status", "district",
    "after", "@lang", NULL };
static const char *const nearby_args[] = { "step_category", "step_lat",
    "step_lon", "radius", NULL };
static const char *const page_args[] = { "id", "me", "@lang", NULL };
static const char *const status_page_args[] = { "status_hash", "@lang",
    "reopen_days", NULL };
static const char *const queue_args[] = { "queue_department", "status",
    "category", "overdue", "after", "@lang", NULL };
static const char *const staff_args[] = { "id", "@lang", "my_department",
    "admin", NULL };

static const struct db_op op_choices = {
	.name = "page_defect_choices", .sql = SQL_DEFECT_CHOICES,
	.kind = DB_READ, .args = choices_args,
};
static const struct db_op op_list = {
	.name = "page_defect_list", .sql = SQL_DEFECT_LIST, .kind = DB_READ,
	.args = list_args,
};
static const struct db_op op_nearby = {
	.name = "page_defect_nearby", .sql = SQL_DEFECT_NEARBY,
	.kind = DB_READ, .args = nearby_args,
};
static const struct db_op op_page = {
	.name = "page_defect", .sql = SQL_DEFECT_PAGE, .kind = DB_READ,
	.args = page_args,
};
static const struct db_op op_status_page = {
	.name = "page_defect_status", .sql = SQL_DEFECT_STATUS_PAGE,
	.kind = DB_READ, .args = status_page_args,
};
static const struct db_op op_queue = {
	.name = "page_staff_queue", .sql = SQL_STAFF_QUEUE, .kind = DB_READ,
	.args = queue_args,
};
static const struct db_op op_staff = {
	.name = "page_staff_defect", .sql = SQL_STAFF_DEFECT, .kind = DB_READ,
	.args = staff_args,
};
static const struct db_op op_moderation = {
	.name = "page_defect_moderation", .sql = SQL_DEFECT_MODERATION,
	.kind = DB_READ, .args = choices_args,
};

static int	new_show(struct http_request *);
static int	detail_show(struct http_request *);
static int	status_show(struct http_request *);
static int	staff_show(struct http_request *);
static int	moderation_show(struct http_request *);

static const struct form_page new_form = {
	"defect_form.html", "defect_new", NULL, NULL, new_show
};
static const struct form_page support_form = {
	"defect.html", "support", NULL, NULL, detail_show
};
static const struct form_page message_form = {
	"defect_status.html", "message", NULL, NULL, status_show
};
static const struct form_page feedback_form = {
	"defect_status.html", "feedback", NULL, NULL, status_show
};
static const struct form_page erase_form = {
	"defect_status.html", "erase", NULL, NULL, status_show
};
static const struct form_page staff_status_form = {
	"staff_defect.html", "status", NULL, NULL, staff_show
};
static const struct form_page staff_department_form = {
	"staff_defect.html", "department", NULL, NULL, staff_show
};
static const struct form_page staff_reply_form = {
	"staff_defect.html", "reply", NULL, NULL, staff_show
};
static const struct form_page decision_form = {
	"defect_moderation.html", "decision", NULL, NULL, moderation_show
};
static const struct form_page photo_form = {
	"defect_moderation.html", "photo", NULL, NULL, moderation_show
};

static const char *const entry_channels[] = { "online", "paper", "phone",
    "in_person", NULL };
static const char *const queue_statuses[] = { "active", "open",
    "acknowledged", "in_progress", "resolved", "not_responsible",
    "duplicate", "rejected", "all", NULL };

/* ---- small helpers ---- */

/* The versioned address of a static file, as page.c does for style.css. */
static void
asset_url(cJSON *data, const char *key, const char *name)
{
	const struct asset	*a;
	char			url[128];

	if ((a = assets_find("static", name)) == NULL)
		return;
	(void)snprintf(url, sizeof(url), "/assets/%s?v=%s", name, a->etag);
	cJSON_AddStringToObject(data, key, url);
}

/*
 * A page that the map enhances: Leaflet and defect-map.js, the policy
 * that lets them run, and what the script needs as data attributes (the
 * tile URL, or none: a plain grid with the city's bounding box).
 */
static void
map_page(struct http_request *req, cJSON *data)
{
	const double	*b = mw_config.bbox;
	char		box[96];

	dispatch_allow_map(req);
	asset_url(data, "map_css", "leaflet.css");
	asset_url(data, "leaflet_js", "leaflet.js");
	asset_url(data, "map_js", "defect-map.js");
	(void)snprintf(box, sizeof(box), "%.5f,%.5f,%.5f,%.5f", b[0], b[1],
	    b[2], b[3]);
	cJSON_AddStringToObject(data, "map_bbox", box);
	cJSON_AddStringToObject(data, "map_tiles", mw_config.tile_url);
	cJSON_AddStringToObject(data, "map_attribution",
	    mw_config.tile_attribution);
}

/* "vor %d Tagen" with the number: the catalogue's text is no format. */
static void
days_ago(const char *pattern, int days, char *out, size_t len)
{
	const char	*at;

	if ((at = strstr(pattern, "%d")) == NULL)
		(void)snprintf(out, len, "%s", pattern);
	else
		(void)snprintf(out, len, "%.*s%d%s", (int)(at - pattern),
		    pattern, days, at + 2);
}

/* "heute", "gestern", "vor 3 Tagen": the age of a report in words. */
static void
age_label(struct http_request *req, cJSON *obj)
{
	char	text[64];
	double	days = json_num(obj, "age_days");

	if (days < 1)
		(void)snprintf(text, sizeof(text), "%s",
		    page_text(req, "defects", "today"));
	else if (days < 2)
		(void)snprintf(text, sizeof(text), "%s",
		    page_text(req, "defects", "yesterday"));
	else
		days_ago(page_text(req, "defects", "days_ago"), (int)days, text,
		    sizeof(text));
	cJSON_AddStringToObject(obj, "age_label", text);
}

/* 52.2689000 as "52,2689" (German) or "52.2689": as people write them. */
static void
coordinate(struct http_request *req, cJSON *obj, const char *key)
{
	char	text[32], name[16], *p;
	size_t	n;

	if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(obj, key)))
		return;
	(void)snprintf(text, sizeof(text), "%.6f", json_num(obj, key));
	for (n = strlen(text); n > 0 && text[n - 1] == '0'; n--)
		text[n - 1] = '\0';
	if (n > 0 && text[n - 1] == '.')
		text[n - 1] = '\0';
	if (rq_get(req)->lang == LANG_DE && (p = strchr(text, '.')) != NULL)
		*p = ',';
	(void)snprintf(name, sizeof(name), "%s_text", key);
	cJSON_AddStringToObject(obj, name, text);
}

/* The words of a list entry: status, age, where. */
static void
entry_labels(struct http_request *req, cJSON *list)
{
	cJSON	*e;

	cJSON_ArrayForEach(e, list) {
		page_label(req, e, "status", "defect_statuses");
		page_date(req, e, "created_at");
		age_label(req, e);
		coordinate(req, e, "lat");
		coordinate(req, e, "lon");
	}
}

/*
 * A report as defect_json gives it, in words: status, dates, the point,
 * each history entry and message; what still waits for a moderator is
 * marked "pending" for the template.
 */
static void
report_labels(struct http_request *req, cJSON *r)
{
	cJSON	*e, *loc;

	page_label(req, r, "status", "defect_statuses");
	page_label(req, r, "channel", "channels");
	page_date(req, r, "created_at");
	page_date(req, r, "closed_at");
	cJSON_AddBoolToObject(r, "text_pending",
	    strcmp(json_str(r, "state") ? json_str(r, "state") : "",
	    "published") != 0);
	cJSON_AddBoolToObject(r, "is_resolved", json_str(r, "status") &&
	    strcmp(json_str(r, "status"), "resolved") == 0);
	if (cJSON_IsObject(loc = cJSON_GetObjectItemCaseSensitive(r,
	    "location"))) {
		coordinate(req, loc, "lat");
		coordinate(req, loc, "lon");
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "history")) {
		page_label(req, e, "status", "defect_statuses");
		page_date(req, e, "at");
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r,
	    "messages")) {
		page_label(req, e, "sender", "defect_senders");
		page_date(req, e, "at");
		cJSON_AddBoolToObject(e, "pending", json_str(e, "state") &&
		    strcmp(json_str(e, "state"), "pending") == 0);
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "photos"))
		cJSON_AddBoolToObject(e, "pending", json_str(e, "state") &&
		    strcmp(json_str(e, "state"), "pending") == 0);
	/* A heading over an array would repeat: the list needs a flag. */
	cJSON_AddBoolToObject(r, "has_photos", cJSON_GetArraySize(
	    cJSON_GetObjectItemCaseSensitive(r, "photos")) > 0);
}

/* The report out of a {"report": …} result, or NULL (404). */
static cJSON *
result_report(PGresult *res, cJSON **result)
{
	cJSON	*r;

	*result = db_json(res);
	r = cJSON_GetObjectItemCaseSensitive(*result, "report");
	if (!cJSON_IsObject(r)) {
		cJSON_Delete(*result);
		*result = NULL;
		return (NULL);
	}
	return (r);
}

/*
 * The errors of a form on a page with several go next to that form:
 * f_<form> with ids "<form>-<field>".
 */
static void
page_form_errors(struct http_request *req, cJSON *data)
{
	struct rq	*rq = rq_get(req);
	char		prefix[48], key[48];

	if (rq->resume == NULL || rq->form_page == NULL)
		return;
	(void)snprintf(prefix, sizeof(prefix), "%s-",
	    rq->form_page->title_key);
	(void)snprintf(key, sizeof(key), "f_%s", rq->form_page->title_key);
	cJSON_AddItemToObject(data, key, form_state(req, data, prefix));
}

/*
 * A form of a page about one thing: runs the API's handler, then back to
 * the page (303), or the page again with the errors next to the form.
 */
static int
back_to(struct http_request *req, const struct form_page *f,
    int (*handler)(struct http_request *), const char *fmt, const char *arg)
{
	struct rq	*rq = rq_get(req);
	char		to[256];

	if (params_get(&rq->vars, "redirect") == NULL) {
		(void)snprintf(to, sizeof(to), fmt, arg);
		rq_var_setf(req, "redirect", "%s?lang=%s", to,
		    lang_code(rq->lang));
	}
	return (form_run(req, f, handler));
}

#define PARAM(req, name)	params_get(&rq_get(req)->params, name)

/* rq_var_put with a number: pages run again after each query step. */
static void
var_put_number(struct http_request *req, const char *name, const char *fmt,
    double v)
{
	char	text[32];

	(void)snprintf(text, sizeof(text), fmt, v);
	rq_var_put(req, name, text);
}

/* ---- the public list ---- */

static void
list_next(struct http_request *req, cJSON *data, cJSON *list)
{
	struct rq		*rq = rq_get(req);
	struct strbuf		url;
	const char		*v;
	cJSON			*last;
	int			i;
	static const char *const keys[] = { "category", "status",
	    "district", NULL };

	if (cJSON_GetArraySize(list) <= LIST_PAGE)
		return;
	cJSON_DeleteItemFromArray(list, LIST_PAGE);
	last = cJSON_GetArrayItem(list, LIST_PAGE - 1);
	strbuf_init(&url, 128);
	strbuf_appendf(&url, "/maengel?lang=%s", lang_code(rq->lang));
	for (i = 0; keys[i] != NULL; i++) {
		if ((v = params_get(&rq->params, keys[i])) == NULL)
			continue;
		strbuf_appendf(&url, "&%s=", keys[i]);
		params_url_encode(&url, v);
	}
	strbuf_appendf(&url, "&after=%.0f", json_num(last, "id"));
	cJSON_AddStringToObject(data, "next_url", url.data);
	strbuf_free(&url);
}

/* The filters with what was chosen marked. */
static void
list_filters(struct http_request *req, cJSON *data, cJSON *choices)
{
	page_mark(cJSON_GetObjectItemCaseSensitive(choices, "categories"),
	    "code", PARAM(req, "category"), "selected");
	page_mark(cJSON_GetObjectItemCaseSensitive(choices, "districts"),
	    "slug", PARAM(req, "district"), "selected");
	cJSON_AddItemToObject(data, "statuses", page_choices(req,
	    defects_statuses, "defect_statuses", PARAM(req, "status")));
	cJSON_AddItemToObject(data, "choices", choices);
}

/* GET /maengel: filters, the newest reports, a map with JavaScript. */
int
page_defects(struct http_request *req)
{
	PGresult	*choices, *list;
	enum db_status	s;
	cJSON		*data, *reports;

	if ((s = db_step(req, &op_choices, &choices)) != DB_DONE ||
	    (s = db_step(req, &op_list, &list)) != DB_DONE)
		return (db_yield(s));
	data = page_new(req, "defects");
	reports = db_json(list);
	list_next(req, data, reports);
	entry_labels(req, reports);
	list_filters(req, data, db_json(choices));
	cJSON_AddItemToObject(data, "reports", reports);
	map_page(req, data);
	return (page_with(req, 200, data, "defects.html"));
}

/* ---- the report form ---- */

/*
 * A value of step 1: from the query (step 2 reached by the GET form), or
 * from the posted form when step 2 is shown again after a failure.
 */
static const char *
step_value(struct http_request *req, const char *name)
{
	struct rq	*rq = rq_get(req);
	const char	*v;

	if (rq->form_again)
		v = params_get(&rq->form, name);
	else
		v = params_get(&rq->params, name);
	return (v != NULL && *v != '\0' ? v : NULL);
}

static int
category_known(cJSON *choices, const char *code)
{
	cJSON	*c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(choices,
	    "categories")) {
		if (strcmp(json_str(c, "code"), code) == 0)
			return (1);
	}
	return (0);
}

/* The point of step 1: both or neither, decimal comma or point, in town. */
static void
step_point(struct http_request *req, struct field_errors *fe)
{
	const char	*slat, *slon;
	double		lat, lon;

	slat = step_value(req, "lat");
	slon = step_value(req, "lon");
	if (slat == NULL && slon == NULL)
		return;
	if (slat == NULL || slon == NULL) {
		error_field_add(fe, slat == NULL ? "lat" : "lon",
		    "latitude and longitude go together");
		return;
	}
	if (!validate_decimal(slat, &lat))
		error_field_add(fe, "lat", "must be a number");
	if (!validate_decimal(slon, &lon))
		error_field_add(fe, "lon", "must be a number");
	if (fe->count > 0)
		return;
	if (!validate_point(lat, lon, mw_config.bbox)) {
		error_field_add(fe, "lat", "the point lies outside the city");
		return;
	}
	var_put_number(req, "step_lat", "%.7f", lat);
	var_put_number(req, "step_lon", "%.7f", lon);
}

/* Step 1's checks; the vars for the nearby query when they pass. */
static void
step_check(struct http_request *req, cJSON *choices, struct field_errors *fe)
{
	const char	*category, *address;

	category = step_value(req, "category");
	if (category == NULL)
		error_field_add(fe, "category", "required");
	else if (!category_known(choices, category))
		error_field_add(fe, "category", "is not a known category");
	else
		rq_var_put(req, "step_category", category);
	address = step_value(req, "address");
	if (address != NULL && strlen(address) > 200)
		error_field_add(fe, "address",
		    "must be 1 to 200 characters long");
	step_point(req, fe);
	if (address == NULL && step_value(req, "lat") == NULL &&
	    step_value(req, "lon") == NULL)
		error_field_add(fe, "address", "an address or a point is required");
}

/* Step 1 shown again with its errors: what was typed, reasons, summary. */
static void
step_errors(struct http_request *req, cJSON *data,
    const struct field_errors *fe)
{
	cJSON		*f, *errors, *summary, *item;
	const char	*reason, *v;
	char		href[64];
	int		i;
	static const char *const keys[] = { "category", "lat", "lon",
	    "address", NULL };

	f = cJSON_AddObjectToObject(data, "f");
	for (i = 0; keys[i] != NULL; i++) {
		if ((v = step_value(req, keys[i])) != NULL)
			cJSON_AddStringToObject(f, keys[i], v);
	}
	if (fe->count == 0)
		return;
	errors = cJSON_AddObjectToObject(f, "errors");
	summary = cJSON_GetObjectItemCaseSensitive(data, "form_errors");
	for (i = 0; i < fe->count; i++) {
		reason = page_text(req, "reasons", fe->items[i].reason);
		cJSON_AddStringToObject(errors, fe->items[i].field, reason);
		item = cJSON_CreateObject();
		(void)snprintf(href, sizeof(href), "#%s", fe->items[i].field);
		cJSON_AddStringToObject(item, "href", href);
		cJSON_AddStringToObject(item, "label",
		    page_text(req, "labels", fe->items[i].field));
		cJSON_AddStringToObject(item, "reason", reason);
		cJSON_AddItemToArray(summary, item);
	}
	cJSON_ReplaceItemInObject(data, "message", cJSON_CreateString(
	    page_text(req, "messages", "check_fields")));
}

/* Step 2's own choices: the channel for staff, kept after a failure. */
static void
step2_fields(struct http_request *req, cJSON *data)
{
	struct rq	*rq = rq_get(req);
	const char	*channel;
	int		roles = rq->who.roles;

	cJSON_AddBoolToObject(data, "is_staff", roles & (ROLE_STAFF |
	    ROLE_ADMIN | ROLE_MODERATOR));
	cJSON_AddBoolToObject(data, "signed_in", rq->who.account_id != 0);
	channel = params_get(&rq->form, "channel");
	cJSON_AddItemToObject(data, "channels", page_choices(req,
	    entry_channels, "channels_select", channel != NULL ? channel :
	    "online"));
	/* A fresh form asks for mail by default; a failed one keeps it. */
	cJSON_AddBoolToObject(data, "notify_checked", !rq->form_again ||
	    params_get(&rq->form, "notify") != NULL);
	form_stamp_field(req, data);
}

/* Back to step 1 with what was chosen, to change it. */
static void
change_link(struct http_request *req, cJSON *data)
{
	struct strbuf		url;
	const char		*v;
	int			i;
	static const char *const keys[] = { "category", "address", "lat",
	    "lon", NULL };

	strbuf_init(&url, 128);
	strbuf_appendf(&url, "/maengel/neu?lang=%s",
	    lang_code(rq_get(req)->lang));
	for (i = 0; keys[i] != NULL; i++) {
		if ((v = step_value(req, keys[i])) == NULL)
			continue;
		strbuf_appendf(&url, "&%s=", keys[i]);
		params_url_encode(&url, v);
	}
	cJSON_AddStringToObject(data, "change_url", url.data);
	strbuf_free(&url);
}

/* Step 2: the reports nearby, the rest of the form. */
static int
step2_show(struct http_request *req, cJSON *data, cJSON *choices)
{
	struct rq	*rq = rq_get(req);
	PGresult	*nearby;
	enum db_status	s;
	cJSON		*c, *list;

	nearby = NULL;
	if (params_get(&rq->vars, "step_lat") != NULL) {
		var_put_number(req, "radius", "%.0f",
		    mw_config.duplicate_radius);
		if ((s = db_step(req, &op_nearby, &nearby)) != DB_DONE) {
			cJSON_Delete(data);
			cJSON_Delete(choices);
			return (db_yield(s));
		}
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(choices,
	    "categories")) {
		if (strcmp(json_str(c, "code"), step_value(req,
		    "category")) == 0)
			cJSON_AddItemToObject(data, "category",
			    cJSON_Duplicate(c, 1));
	}
	cJSON_AddBoolToObject(data, "step2", 1);
	cJSON_AddBoolToObject(data, "has_point", nearby != NULL);
	cJSON_AddNumberToObject(data, "radius", mw_config.duplicate_radius);
	if (nearby != NULL) {
		list = db_json(nearby);
		entry_labels(req, list);
		cJSON_AddBoolToObject(data, "has_nearby",
		    cJSON_GetArraySize(list) > 0);
		cJSON_AddItemToObject(data, "nearby", list);
	}
	change_link(req, data);
	step2_fields(req, data);
	if (rq->form_again)
		cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	else
		step_errors(req, data, &(struct field_errors){ 0 });
	cJSON_Delete(choices);
	return (form_render(req, data, "defect_form.html"));
}

/*
 * GET /maengel/neu (step 1: where and what), /maengel/neu?schritt=2&…
 * (step 2: reports nearby, then description, photos, contact), and the
 * form again after a failed POST.
 */
static int
new_show(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;
	cJSON			*data, *choices;
	const char		*step;

	if ((s = db_step(req, &op_choices, &res)) != DB_DONE)
		return (db_yield(s));
	choices = db_json(res);
	data = form_data(req, "defect_new");
	map_page(req, data);
	step = PARAM(req, "schritt");
	if (rq->form_again || (step != NULL && strcmp(step, "2") == 0)) {
		memset(&fe, 0, sizeof(fe));
		step_check(req, choices, &fe);
		if (fe.count == 0)
			return (step2_show(req, data, choices));
		step_errors(req, data, &fe);
		rq->form_again = 1;
		rq->resume_status = 422;
		if (rq->resume_fe == NULL)
			rq->resume_fe = kore_calloc(1, sizeof(*rq->resume_fe));
		*rq->resume_fe = fe;
	} else {
		step_errors(req, data, &(struct field_errors){ 0 });
	}
	page_mark(cJSON_GetObjectItemCaseSensitive(choices, "categories"),
	    "code", step_value(req, "category"), "checked");
	cJSON_AddItemToObject(data, "choices", choices);
	return (form_render(req, data, "defect_form.html"));
}

int
page_defect_new(struct http_request *req)
{
	return (form_blank(req, &new_form));
}

/*
 * The report, checked as the API checks it; then the reporter's own
 * status page, which says to keep its link (the token is known once
 * defects_prepare has made it, so the way there is set before the API's
 * handler stores the report and goes on).
 */
static int
defect_submit(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const char	*token;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!form_human(req) || !defects_prepare(req))
			return (KORE_RESULT_OK);
		if ((token = params_get(&rq->vars, "status_token")) != NULL)
			rq_var_setf(req, "redirect",
			    "/maengel/status/%s?lang=%s&neu=1", token,
			    lang_code(rq->lang));
	}
	return (api_defect_create(req));
}

/* POST /maengel/neu */
int
page_defect_new_post(struct http_request *req)
{
	return (form_run(req, &new_form, defect_submit));
}

/* ---- the public detail ---- */

static int
detail_show(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *r;

	if ((s = db_step(req, &op_page, &res)) != DB_DONE)
		return (db_yield(s));
	if ((r = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	data = form_data(req, "defect");
	report_labels(req, r);
	page_form_errors(req, data);
	cJSON_AddItemToObject(data, "report", r);
	return (form_render(req, data, "defect.html"));
}

/* GET /maengel/{id} */
int
page_defect(struct http_request *req)
{
	return (detail_show(req));
}

/* POST /maengel/{id}/unterstuetzen: signed in or not, then the report. */
int
page_defect_support_post(struct http_request *req)
{
	return (back_to(req, &support_form, api_defect_support,
	    "/maengel/%s", PARAM(req, "id")));
}

/* ---- the reporter's status page ---- */

static int
status_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *result, *r;
	char		link[512];

	var_put_number(req, "reopen_days", "%.0f", mw_config.reopen_days);
	if ((s = db_step(req, &op_status_page, &res)) != DB_DONE)
		return (db_yield(s));
	if ((r = result_report(res, &result)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	data = form_data(req, "defect_status");
	report_labels(req, r);
	page_form_errors(req, data);
	cJSON_AddStringToObject(data, "path_token", PARAM(req, "token"));
	defects_status_link(PARAM(req, "token"), link, sizeof(link));
	cJSON_AddStringToObject(data, "status_link", link);
	cJSON_AddBoolToObject(data, "fresh", PARAM(req, "neu") != NULL &&
	    !rq->form_again);
	cJSON_AddNumberToObject(data, "reopen_days", mw_config.reopen_days);
	cJSON_AddItemToObject(data, "s", result);
	cJSON_AddItemReferenceToObject(data, "report", r);
	return (form_render(req, data, "defect_status.html"));
}

/* The token in the path, as the API finds the report by it; or 404. */
static int
token_bound(struct http_request *req)
{
	if (defects_token_vars(req, PARAM(req, "token")))
		return (MW_OK);
	if (req->status == 0)
		(void)respond_error(req, 404, NULL, NULL, NULL);
	return (MW_ERROR);
}

/* GET /maengel/status/{token} */
int
page_defect_status(struct http_request *req)
{
	if (!token_bound(req))
		return (KORE_RESULT_OK);
	return (status_show(req));
}

static int
status_form(struct http_request *req, const struct form_page *f,
    int (*handler)(struct http_request *))
{
	if (params_get(&rq_get(req)->vars, "status_hash") == NULL &&
	    !token_bound(req))
		return (KORE_RESULT_OK);
	return (back_to(req, f, handler, "/maengel/status/%s",
	    PARAM(req, "token")));
}

/* POST /maengel/status/{token}/nachricht */
int
page_defect_message_post(struct http_request *req)
{
	return (status_form(req, &message_form, api_defect_message_create));
}

/* POST /maengel/status/{token}/rueckmeldung: "behoben" or reopen. */
int
page_defect_feedback_post(struct http_request *req)
{
	return (status_form(req, &feedback_form, api_defect_feedback));
}

/* POST /maengel/status/{token}/email-loeschen */
int
page_defect_email_erase_post(struct http_request *req)
{
	return (status_form(req, &erase_form, api_defect_email_erase));
}

/* ---- the department's queue and detail ---- */

/* Staff see their department; an admin all, or the one filtered. */
static void
queue_department(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (rq->who.roles & ROLE_ADMIN) {
		if (PARAM(req, "department") != NULL)
			rq_var_put(req, "queue_department",
			    PARAM(req, "department"));
	} else {
		rq_var_put(req, "queue_department", rq->who.department);
	}
}

/* The counts per status as a list in the workflow's order. */
static void
queue_counts(struct http_request *req, cJSON *data, cJSON *queue)
{
	const cJSON	*counts;
	cJSON		*list, *e;
	int		i;

	counts = cJSON_GetObjectItemCaseSensitive(queue, "counts");
	list = cJSON_AddArrayToObject(data, "counts");
	for (i = 0; defects_statuses[i] != NULL; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "slug", defects_statuses[i]);
		cJSON_AddStringToObject(e, "label", page_text(req,
		    "defect_statuses", defects_statuses[i]));
		cJSON_AddNumberToObject(e, "count", json_num(counts,
		    defects_statuses[i]));
		cJSON_AddItemToArray(list, e);
	}
}

static void
queue_next(struct http_request *req, cJSON *data, cJSON *list)
{
	struct rq		*rq = rq_get(req);
	struct strbuf		url;
	const char		*v;
	int			i;
	static const char *const keys[] = { "status", "category", "overdue",
	    "department", NULL };

	if (cJSON_GetArraySize(list) <= QUEUE_PAGE)
		return;
	cJSON_DeleteItemFromArray(list, QUEUE_PAGE);
	strbuf_init(&url, 128);
	strbuf_appendf(&url, "/fachbereich?lang=%s", lang_code(rq->lang));
	for (i = 0; keys[i] != NULL; i++) {
		if ((v = params_get(&rq->params, keys[i])) == NULL)
			continue;
		strbuf_appendf(&url, "&%s=", keys[i]);
		params_url_encode(&url, v);
	}
	strbuf_appendf(&url, "&after=%.0f", json_num(cJSON_GetArrayItem(list,
	    QUEUE_PAGE - 1), "id"));
	cJSON_AddStringToObject(data, "next_url", url.data);
	strbuf_free(&url);
}

/* GET /fachbereich: the department's reports, oldest first. */
int
page_staff_queue(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*choices, *res;
	enum db_status	s;
	cJSON		*data, *queue, *list, *ch;
	const char	*status;

	queue_department(req);
	if ((s = db_step(req, &op_choices, &choices)) != DB_DONE ||
	    (s = db_step(req, &op_queue, &res)) != DB_DONE)
		return (db_yield(s));
	data = page_new(req, "staff_queue");
	queue = db_json(res);
	list = cJSON_GetObjectItemCaseSensitive(queue, "reports");
	queue_next(req, data, list);
	entry_labels(req, list);
	queue_counts(req, data, queue);
	ch = db_json(choices);
	page_mark(cJSON_GetObjectItemCaseSensitive(ch, "categories"), "code",
	    PARAM(req, "category"), "selected");
	page_mark(cJSON_GetObjectItemCaseSensitive(ch, "departments"), "slug",
	    PARAM(req, "department"), "selected");
	status = PARAM(req, "status");
	cJSON_AddItemToObject(data, "statuses", page_choices(req,
	    queue_statuses, "defect_statuses", status ? status : "active"));
	cJSON_AddBoolToObject(data, "is_admin", rq->who.roles & ROLE_ADMIN);
	cJSON_AddBoolToObject(data, "overdue_only", PARAM(req, "overdue") !=
	    NULL);
	cJSON_AddStringToObject(data, "my_department", rq->who.department);
	cJSON_AddItemToObject(data, "choices", ch);
	cJSON_AddItemToObject(data, "queue", queue);
	return (page_with(req, 200, data, "staff_queue.html"));
}

/* The statuses a report may move to, as a select keeping the choice. */
static void
next_statuses(struct http_request *req, cJSON *data, const cJSON *next)
{
	const char	*chosen;
	const cJSON	*e;
	cJSON		*list, *o;

	chosen = params_get(&rq_get(req)->form, "status");
	list = cJSON_AddArrayToObject(data, "next");
	cJSON_ArrayForEach(e, next) {
		if (!cJSON_IsString(e))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "slug", e->valuestring);
		cJSON_AddStringToObject(o, "label", page_text(req,
		    "defect_statuses", e->valuestring));
		if (chosen != NULL && strcmp(chosen, e->valuestring) == 0)
			cJSON_AddBoolToObject(o, "selected", 1);
		cJSON_AddItemToArray(list, o);
	}
	cJSON_AddBoolToObject(data, "has_next", cJSON_GetArraySize(list) > 0);
}

static int
staff_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*choices, *res;
	enum db_status	s;
	cJSON		*data, *result, *r, *ch;

	rq_var_put(req, "my_department", rq->who.department);
	rq_var_put(req, "admin", rq->who.roles & ROLE_ADMIN ? "t" : "f");
	if ((s = db_step(req, &op_choices, &choices)) != DB_DONE ||
	    (s = db_step(req, &op_staff, &res)) != DB_DONE)
		return (db_yield(s));
	if ((r = result_report(res, &result)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	data = form_data(req, "staff_defect");
	report_labels(req, r);
	page_form_errors(req, data);
	next_statuses(req, data, cJSON_GetObjectItemCaseSensitive(result,
	    "next"));
	ch = db_json(choices);
	page_mark(cJSON_GetObjectItemCaseSensitive(ch, "departments"), "slug",
	    json_str(cJSON_GetObjectItemCaseSensitive(r, "department"),
	    "slug"), "current");
	cJSON_AddItemToObject(data, "choices", ch);
	cJSON_AddItemToObject(data, "s", result);
	cJSON_AddItemReferenceToObject(data, "report", r);
	return (form_render(req, data, "staff_defect.html"));
}

/* GET /fachbereich/maengel/{id} */
int
page_staff_defect(struct http_request *req)
{
	return (staff_show(req));
}

/* POST /fachbereich/maengel/{id}/status */
int
page_staff_status_post(struct http_request *req)
{
	return (back_to(req, &staff_status_form, api_defect_status,
	    "/fachbereich/maengel/%s", PARAM(req, "id")));
}

/* POST /fachbereich/maengel/{id}/fachbereich: another department. */
int
page_staff_department_post(struct http_request *req)
{
	return (back_to(req, &staff_department_form, api_defect_department,
	    "/fachbereich/maengel/%s", PARAM(req, "id")));
}

/* POST /fachbereich/maengel/{id}/nachricht: a reply to the reporter. */
int
page_staff_reply_post(struct http_request *req)
{
	return (back_to(req, &staff_reply_form, api_defect_message_create,
	    "/fachbereich/maengel/%s", PARAM(req, "id")));
}

/* ---- moderation of texts, messages and photos ---- */

static int
moderation_show(struct http_request *req)
{
	PGresult	*res, *reasons;
	enum db_status	s;
	cJSON		*data, *q, *e;

	if ((s = db_step(req, &op_moderation, &res)) != DB_DONE ||
	    (s = db_step(req, &op_moderation_reasons, &reasons)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "defect_moderation");
	page_form_errors(req, data);
	q = db_json(res);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(q, "reports"))
		page_date(req, e, "created_at");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(q, "messages"))
		page_date(req, e, "created_at");
	cJSON_AddItemToObject(data, "q", q);
	cJSON_AddItemToObject(data, "r", db_json(reasons));
	return (form_render(req, data, "defect_moderation.html"));
}

/* GET /moderation/maengel */
int
page_defect_moderation(struct http_request *req)
{
	return (moderation_show(req));
}

/* POST /moderation/maengel/entscheidungen: texts and messages. */
int
page_defect_decision_post(struct http_request *req)
{
	return (back_to(req, &decision_form, api_moderation_decide,
	    "/moderation/maengel", ""));
}

/* POST /moderation/maengel/fotos/{id}: publish, remove or blur. */
int
page_defect_photo_post(struct http_request *req)
{
	return (back_to(req, &photo_form, api_defect_photo_moderate,
	    "/moderation/maengel", ""));
}
