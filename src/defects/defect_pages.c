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
#include <time.h>

#include "defects.h"


/* Categories, districts and departments: the choices of every page. */
static const char SQL_DEFECT_CHOICES[] =
    "SELECT json_build_object("
    " 'categories', (SELECT coalesce(json_agg(json_build_object("
    "  'code', code, 'name', CASE WHEN $1 = 'en' THEN name_en ELSE name_de"
    "  END, 'description', CASE WHEN $1 = 'en' THEN description_en ELSE"
    "  description_de END) ORDER BY position), '[]') FROM defect_categories"
    "  WHERE active),"
    " 'districts', (SELECT coalesce(json_agg(json_build_object('slug', slug,"
    "  'name', name) ORDER BY position), '[]') FROM districts"
    "  WHERE active),"
    " 'departments', (SELECT coalesce(json_agg(json_build_object('slug',"
    "  slug, 'name', CASE WHEN $1 = 'en' THEN name_en ELSE name_de END)"
    "  ORDER BY id), '[]') FROM departments))";

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

/* The moderation reasons, as the decision forms offer them. */
static const char SQL_REASONS[] =
    "SELECT json_build_object('reasons', coalesce(json_agg("
    " json_build_object('slug', slug, 'label', CASE WHEN $1 = 'en' THEN"
    " label_en ELSE label_de END) ORDER BY position), '[]'))"
    " FROM moderation_reasons";

static const char *const choices_args[] = { "@lang", NULL };
static const char *const staff_args[] = { "id", "@lang", "my_department",
    "admin", NULL };

static const struct db_op op_choices = {
	.name = "page_defect_choices", .sql = SQL_DEFECT_CHOICES,
	.kind = DB_READ, .args = choices_args,
};
static const struct db_op op_reasons = {
	.name = "page_defect_reasons", .sql = SQL_REASONS, .kind = DB_READ,
	.args = choices_args,
};
static const struct db_op op_staff = {
	.name = "page_staff_defect", .sql = SQL_STAFF_DEFECT, .kind = DB_READ,
	.args = staff_args,
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
static const struct form_page photo_form = {
	"defect_moderation.html", "photo", NULL, NULL, moderation_show
};

static const char *const entry_channels[] = { "online", "paper", "phone",
    "in_person", NULL };
/* The queue's filter: not closed (the default), a status, or all. */
static const char *const queue_statuses[] = { "open", "acknowledged",
    "in_progress", "resolved", "not_responsible", "duplicate", "rejected",
    "closed", "all", NULL };

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

/* Days since the civil date 1970-01-01 (Howard Hinnant's algorithm). */
static long
days_from_civil(int y, int m, int d)
{
	long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/*
 * "heute", "gestern", "vor 3 Tagen": the age of a report in words, from
 * its created_at ("2026-12-03T…", the database's UTC day).
 */
static void
age_label(struct http_request *req, cJSON *obj)
{
	const char	*v;
	char		text[64];
	long		days;
	int		y, m, d;

	if ((v = json_str(obj, "created_at")) == NULL ||
	    sscanf(v, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return;
	days = (long)(time(NULL) / 86400) - days_from_civil(y, m, d);
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

static void
point_labels(struct http_request *req, cJSON *obj)
{
	cJSON	*loc;

	if (cJSON_IsObject(loc = cJSON_GetObjectItemCaseSensitive(obj,
	    "location"))) {
		coordinate(req, loc, "lat");
		coordinate(req, loc, "lon");
	}
}

/* A slug's name from a list of {slug, name}, or NULL. */
static const char *
name_of(const cJSON *list, const char *key, const char *value)
{
	const cJSON	*e;

	if (value == NULL)
		return (NULL);
	cJSON_ArrayForEach(e, list) {
		if (json_str(e, key) != NULL &&
		    strcmp(json_str(e, key), value) == 0)
			return (json_str(e, "name"));
	}
	return (NULL);
}

/* The words of a list entry: status, age, where, the district's name. */
static void
entry_labels(struct http_request *req, cJSON *list, const cJSON *choices)
{
	const char	*district;
	cJSON		*e;

	cJSON_ArrayForEach(e, list) {
		page_label(req, e, "status", "defect_statuses");
		page_date(req, e, "created_at");
		age_label(req, e);
		point_labels(req, e);
		district = name_of(cJSON_GetObjectItemCaseSensitive(choices,
		    "districts"), "slug", json_str(e, "district"));
		if (district != NULL && json_str(e, "district_name") == NULL)
			cJSON_AddStringToObject(e, "district_name", district);
	}
}

static int
is(const cJSON *obj, const char *key, const char *value)
{
	const char	*v = json_str(obj, key);

	return (v != NULL && strcmp(v, value) == 0);
}

/*
 * A report as defect_json gives it, in words: status, dates, the point,
 * each history entry and message; what still waits for a moderator is
 * marked "pending" for the template.
 */
static void
report_labels(struct http_request *req, cJSON *r)
{
	cJSON	*e;

	page_label(req, r, "status", "defect_statuses");
	if (!is(r, "channel", "online"))
		page_label(req, r, "channel", "channels");
	page_date(req, r, "created_at");
	page_date(req, r, "closed_at");
	cJSON_AddBoolToObject(r, "text_pending", !is(r, "state",
	    "published"));
	cJSON_AddBoolToObject(r, "is_resolved", is(r, "status", "resolved"));
	point_labels(req, r);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "history")) {
		page_label(req, e, "status", "defect_statuses");
		page_date(req, e, "at");
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r,
	    "messages")) {
		page_label(req, e, "sender", "defect_senders");
		page_date(req, e, "at");
		cJSON_AddBoolToObject(e, "pending", is(e, "state", "pending"));
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "photos"))
		cJSON_AddBoolToObject(e, "pending", is(e, "state", "pending"));
	/* A heading over an array would repeat: the list needs a flag. */
	cJSON_AddBoolToObject(r, "has_photos", cJSON_GetArraySize(
	    cJSON_GetObjectItemCaseSensitive(r, "photos")) > 0);
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

/* The same page with the same filters, from a cursor on. */
static void
next_link(struct http_request *req, cJSON *data, const char *path,
    const char *const *keys, const char *after)
{
	struct rq	*rq = rq_get(req);
	struct strbuf	url;
	const char	*v;
	int		i;

	strbuf_init(&url, 128);
	strbuf_appendf(&url, "%s?lang=%s", path, lang_code(rq->lang));
	for (i = 0; keys[i] != NULL; i++) {
		if ((v = params_get(&rq->params, keys[i])) == NULL)
			continue;
		strbuf_appendf(&url, "&%s=", keys[i]);
		params_url_encode(&url, v);
	}
	strbuf_appends(&url, "&after=");
	params_url_encode(&url, after);
	cJSON_AddStringToObject(data, "next_url", url.data);
	strbuf_free(&url);
}

/* A number or string member as text ("next" is either). */
static const char *
member_text(const cJSON *obj, const char *key, char *buf, size_t len)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (cJSON_IsString(v))
		return (v->valuestring);
	if (!cJSON_IsNumber(v))
		return (NULL);
	(void)snprintf(buf, len, "%.0f", v->valuedouble);
	return (buf);
}

/* ---- the public list ---- */

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
	static const char *const keys[] = { "category", "status", "district",
	    NULL };
	PGresult	*choices, *list;
	enum db_status	s;
	cJSON		*data, *result, *ch;
	const char	*next;
	char		buf[32];

	if ((s = db_step(req, &op_choices, &choices)) != DB_DONE ||
	    (s = db_step(req, &op_defects, &list)) != DB_DONE)
		return (db_yield(s));
	data = page_new(req, "defects");
	result = db_json(list);
	ch = db_json(choices);
	entry_labels(req, cJSON_GetObjectItemCaseSensitive(result, "defects"),
	    ch);
	if ((next = member_text(result, "next", buf, sizeof(buf))) != NULL)
		next_link(req, data, "/maengel", keys, next);
	list_filters(req, data, ch);
	cJSON_AddItemToObject(data, "list", result);
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

/*
 * The point of step 1 as the API checks it: both or neither, a decimal
 * comma or point, inside the city.  Sets the vars the nearby query binds.
 */
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
	var_put_number(req, "lat", "%.7f", lat);
	var_put_number(req, "lon", "%.7f", lon);
}

/* Step 1's checks (the API's own words); the nearby query's vars. */
static void
step_check(struct http_request *req, const cJSON *choices,
    struct field_errors *fe)
{
	const char	*category, *address;
	size_t		n;

	category = step_value(req, "category");
	if (category == NULL)
		error_field_add(fe, "category", "required");
	else if (name_of(cJSON_GetObjectItemCaseSensitive(choices,
	    "categories"), "code", category) == NULL)
		error_field_add(fe, "category", "is not a known category");
	else
		rq_var_put(req, "category", category);
	if ((address = step_value(req, "address")) != NULL &&
	    ((n = utf8_length(address, strlen(address))) < 3 || n > 200))
		error_field_add(fe, "address",
		    "must be 3 to 200 characters long");
	step_point(req, fe);
	if (address == NULL && step_value(req, "lat") == NULL &&
	    step_value(req, "lon") == NULL)
		error_field_add(fe, "location",
		    "give an address or a point on the map");
}

/* Step 1's values and errors as form_state gives a posted form's. */
static void
step_state(struct http_request *req, cJSON *data,
    const struct field_errors *fe)
{
	static const char *const keys[] = { "category", "lat", "lon",
	    "address", NULL };
	cJSON		*f, *errors, *summary, *item;
	const char	*reason, *v;
	char		href[64];
	int		i;

	f = cJSON_AddObjectToObject(data, "f");
	for (i = 0; keys[i] != NULL; i++) {
		if ((v = step_value(req, keys[i])) != NULL)
			cJSON_AddStringToObject(f, keys[i], v);
	}
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
	if (fe->count > 0 && !cJSON_HasObjectItem(data, "message"))
		cJSON_AddStringToObject(data, "message",
		    page_text(req, "messages", "check_fields"));
}

/* Back to step 1 with what was chosen, to change it. */
static void
change_link(struct http_request *req, cJSON *data)
{
	static const char *const keys[] = { "category", "address", "lat",
	    "lon", NULL };
	struct strbuf	url;
	const char	*v;
	int		i;

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

/* Step 2's own choices: the channel for staff, kept after a failure. */
/* Reporting with an account: sign-in that comes back to the form. */
static void
defect_signin_link(struct http_request *req, cJSON *data)
{
	struct strbuf	url;
	char		next[48];

	(void)snprintf(next, sizeof(next), "/maengel/neu?lang=%s",
	    lang_code(rq_get(req)->lang));
	strbuf_init(&url, 128);
	form_signin_url(req, &url, next, "defect");
	cJSON_AddStringToObject(data, "signin_link", url.data);
	strbuf_free(&url);
}

static void
step2_fields(struct http_request *req, cJSON *data)
{
	struct rq	*rq = rq_get(req);
	const char	*channel, *notify;

	/* Only staff enter reports on a citizen's behalf (submission.c). */
	cJSON_AddBoolToObject(data, "is_staff", rq->who.roles & ROLE_STAFF);
	cJSON_AddBoolToObject(data, "signed_in", rq->who.account_id != 0);
	if (rq->who.account_id == 0)
		defect_signin_link(req, data);
	channel = params_get(&rq->form, "channel");
	cJSON_AddItemToObject(data, "channels", page_choices(req,
	    entry_channels, "channels_select", channel != NULL ? channel :
	    "online"));
	/* Mail is wanted unless the person said no. */
	notify = params_get(&rq->form, "notify");
	cJSON_AddBoolToObject(data, "notify_no", notify != NULL &&
	    strcmp(notify, "false") == 0);
	form_stamp_field(req, data);
}

/* The category chosen in step 1, with its name and description. */
static void
chosen_category(struct http_request *req, cJSON *data, const cJSON *choices)
{
	const cJSON	*c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(choices,
	    "categories")) {
		if (is(c, "code", step_value(req, "category")))
			cJSON_AddItemToObject(data, "category",
			    cJSON_Duplicate(c, 1));
	}
}

/* Step 2: the open reports nearby, then the rest of the form. */
static int
step2_show(struct http_request *req, cJSON *data, cJSON *choices)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*nearby, *list;

	if (params_get(&rq->vars, "lat") != NULL) {
		var_put_number(req, "radius", "%.0f",
		    mw_config.duplicate_radius);
		if ((s = db_step(req, &op_defects_nearby, &res)) != DB_DONE) {
			cJSON_Delete(data);
			cJSON_Delete(choices);
			return (db_yield(s));
		}
		nearby = db_json(res);
		list = cJSON_GetObjectItemCaseSensitive(nearby, "defects");
		entry_labels(req, list, choices);
		cJSON_AddBoolToObject(data, "has_point", 1);
		cJSON_AddBoolToObject(data, "has_nearby",
		    cJSON_GetArraySize(list) > 0);
		cJSON_AddItemToObject(data, "nearby", nearby);
	}
	chosen_category(req, data, choices);
	cJSON_AddBoolToObject(data, "step2", 1);
	change_link(req, data);
	step2_fields(req, data);
	if (rq->form_again)
		cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	else
		step_state(req, data, &(struct field_errors){ 0 });
	cJSON_Delete(choices);
	return (form_render(req, data, "defect_form.html"));
}

/* Step 1 with its errors, if any: 422 then, as a failed form. */
static int
step1_show(struct http_request *req, cJSON *data, cJSON *choices,
    const struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);

	step_state(req, data, fe);
	page_mark(cJSON_GetObjectItemCaseSensitive(choices, "categories"),
	    "code", step_value(req, "category"), "checked");
	/* Failed as a form fails: its status, and values read from here on. */
	if (fe->count > 0) {
		if (rq->resume_fe == NULL)
			rq->resume_fe = kore_calloc(1, sizeof(*rq->resume_fe));
		*rq->resume_fe = *fe;
		rq->resume_status = 422;
		rq->form_again = 1;
	}
	cJSON_AddItemToObject(data, "choices", choices);
	return (form_render(req, data, "defect_form.html"));
}

/*
 * GET /maengel/neu (step 1: what and where), /maengel/neu?schritt=2&…
 * (step 2: reports nearby, then description, photos, contact), and the
 * form again after a failed POST (step 2, or step 1 if its part failed).
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
	memset(&fe, 0, sizeof(fe));
	step = PARAM(req, "schritt");
	if (!rq->form_again && (step == NULL || strcmp(step, "2") != 0))
		return (step1_show(req, data, choices, &fe));
	step_check(req, choices, &fe);
	if (fe.count > 0)
		return (step1_show(req, data, choices, &fe));
	return (step2_show(req, data, choices));
}

/* GET /maengel/neu */
int
page_defect_new(struct http_request *req)
{
	return (form_blank(req, &new_form));
}

/*
 * The report, checked as the API checks it; then the reporter's own
 * status page, which says to keep its link (the token exists once
 * defects_prepare made it, so the way there is set before the API's
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

	/* The public view: staff read theirs on /fachbereich. */
	rq_var_put(req, "staff", "f");
	if ((s = db_step(req, &op_defect, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQgetisnull(res, 0, 0) || (r = db_json(res)) == NULL)
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

/*
 * The reporter sees their photos before moderation: the photo route
 * admits them by the status link's token (?token=).
 */
static void
photo_token(cJSON *report, const char *token)
{
	cJSON	*p;
	char	url[256];

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(report,
	    "photos")) {
		(void)snprintf(url, sizeof(url), "%s?token=%s",
		    json_str(p, "url"), token);
		cJSON_ReplaceItemInObject(p, "url", cJSON_CreateString(url));
		(void)snprintf(url, sizeof(url), "%s&token=%s",
		    json_str(p, "thumb_url"), token);
		cJSON_ReplaceItemInObject(p, "thumb_url",
		    cJSON_CreateString(url));
	}
}

static int
status_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *r;
	char		link[CONFIG_PATH_MAX + 64];

	var_put_number(req, "reopen_days", "%.0f", mw_config.reopen_days);
	if ((s = db_step(req, &op_defect_by_token, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) == 0 || (r = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	data = form_data(req, "defect_status");
	report_labels(req, r);
	page_date(req, r, "answer_until");
	cJSON_AddBoolToObject(r, "closed", json_str(r, "closed_at") != NULL);
	photo_token(r, PARAM(req, "token"));
	page_form_errors(req, data);
	cJSON_AddStringToObject(data, "path_token", PARAM(req, "token"));
	defects_status_link(PARAM(req, "token"), link, sizeof(link));
	cJSON_AddStringToObject(data, "status_link", link);
	cJSON_AddBoolToObject(data, "fresh", PARAM(req, "neu") != NULL &&
	    !rq->form_again);
	cJSON_AddItemToObject(data, "report", r);
	return (form_render(req, data, "defect_status.html"));
}

/* GET /maengel/status/{token}: 404 for a token that cannot be ours. */
int
page_defect_status(struct http_request *req)
{
	if (params_get(&rq_get(req)->vars, "token_hash") == NULL &&
	    !defects_token_vars(req, PARAM(req, "token")))
		return (respond_error(req, 404, NULL, NULL, NULL));
	return (status_show(req));
}

/* A form of the status page; the report's number is in the query. */
static int
status_form(struct http_request *req, const struct form_page *f,
    int (*handler)(struct http_request *))
{
	return (back_to(req, f, handler, "/maengel/status/%s",
	    PARAM(req, "token")));
}

/* POST /maengel/status/{token}/nachricht?id= */
int
page_defect_message_post(struct http_request *req)
{
	return (status_form(req, &message_form, api_defect_message_create));
}

/* POST /maengel/status/{token}/rueckmeldung?id=: "behoben" or reopen. */
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

/*
 * Staff see their own department (naming another is refused, as by the
 * API); an admin the one chosen, or the first.
 */
static int
queue_department(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const char	*dept = PARAM(req, "department");

	if (rq->who.roles & ROLE_ADMIN) {
		if (dept == NULL)
			rq_var_put(req, "department_id", "1");
		return (MW_OK);
	}
	if (dept != NULL && strcmp(dept, rq->who.department) != 0)
		return (MW_ERROR);
	var_put_number(req, "department_id", "%.0f", rq->who.department_id);
	return (MW_OK);
}

/* The queue's view without status, page or order: what tabs keep. */
static const char *const queue_view[] = { "category", "district", "age",
    "department", NULL };

static void
queue_query(struct http_request *req, struct strbuf *qs,
    const char *const *keys)
{
	const char	*v;
	int		i;

	strbuf_appendf(qs, "lang=%s", lang_code(rq_get(req)->lang));
	for (i = 0; keys[i] != NULL; i++) {
		if ((v = PARAM(req, keys[i])) == NULL)
			continue;
		strbuf_appendf(qs, "&%s=", keys[i]);
		params_url_encode(qs, v);
	}
}

/*
 * The tabs: a count per status, overdue and closed in 30 days, each a
 * link to the queue with that status and the same filters; the current
 * one marked.
 */
static void
queue_counts(struct http_request *req, cJSON *data, const cJSON *queue)
{
	static const char *const tabs[][4] = {
	    { "open", "status=open", "defect_statuses", "open" },
	    { "acknowledged", "status=acknowledged", "defect_statuses",
		"acknowledged" },
	    { "in_progress", "status=in_progress", "defect_statuses",
		"in_progress" },
	    { "overdue", "overdue=1", "defects", "overdue" },
	    { "resolved", "status=resolved", "defect_statuses", "resolved" },
	    { "closed_30d", "status=closed", "staff", "closed_30d" } };
	const char	*status = PARAM(req, "status");
	const cJSON	*counts;
	struct strbuf	qs;
	char		label[128];
	cJSON		*list, *e;
	size_t		i;
	int		cur;

	counts = cJSON_GetObjectItemCaseSensitive(queue, "counts");
	list = cJSON_AddArrayToObject(data, "counts");
	strbuf_init(&qs, 128);
	queue_query(req, &qs, queue_view);
	for (i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		e = cJSON_CreateObject();
		(void)snprintf(label, sizeof(label), "%s (%.0f)",
		    page_text(req, tabs[i][2], tabs[i][3]),
		    json_num(counts, tabs[i][0]));
		cJSON_AddStringToObject(e, "label", label);
		cJSON_AddStringToObject(e, "href", qs.data);
		cJSON_AddStringToObject(e, "filter", tabs[i][1]);
		if (strcmp(tabs[i][0], "overdue") == 0)
			cur = PARAM(req, "overdue") != NULL;
		else if (strcmp(tabs[i][0], "closed_30d") == 0)
			cur = status != NULL && strcmp(status, "closed") == 0;
		else
			cur = PARAM(req, "overdue") == NULL && status != NULL &&
			    strcmp(status, tabs[i][0]) == 0;
		if (cur)
			cJSON_AddBoolToObject(e, "current", 1);
		cJSON_AddItemToArray(list, e);
	}
	cJSON_AddStringToObject(data, "view", qs.data);
	strbuf_free(&qs);
}

static void
queue_filters(struct http_request *req, cJSON *data, cJSON *ch,
    const cJSON *queue)
{
	static const char *const ages[] = { "1", "3", "7", NULL };
	static const char *const sorts[] = { "oldest", "newest", "supports",
	    NULL };
	struct rq	*rq = rq_get(req);

	page_mark(cJSON_GetObjectItemCaseSensitive(ch, "categories"), "code",
	    PARAM(req, "category"), "selected");
	page_mark(cJSON_GetObjectItemCaseSensitive(ch, "districts"), "slug",
	    PARAM(req, "district"), "selected");
	page_mark(cJSON_GetObjectItemCaseSensitive(ch, "departments"), "slug",
	    json_str(cJSON_GetObjectItemCaseSensitive(queue, "department"),
	    "slug"), "selected");
	cJSON_AddItemToObject(data, "statuses", page_choices(req,
	    queue_statuses, "defect_statuses", PARAM(req, "status")));
	cJSON_AddItemToObject(data, "ages", page_choices(req, ages,
	    "desk_ages", PARAM(req, "age")));
	cJSON_AddItemToObject(data, "sorts", page_choices(req, sorts,
	    "queue_sorts", PARAM(req, "sort") != NULL ? PARAM(req, "sort") :
	    "oldest"));
	cJSON_AddBoolToObject(data, "is_admin", rq->who.roles & ROLE_ADMIN);
	cJSON_AddBoolToObject(data, "overdue_only", PARAM(req, "overdue") !=
	    NULL);
	cJSON_AddItemToObject(data, "choices", ch);
}

/* Counts of nothing say nothing: the template shows only what is there. */
static void
drop_zero(cJSON *list, const char *key)
{
	cJSON	*e;

	cJSON_ArrayForEach(e, list) {
		if (json_num(e, key) == 0)
			cJSON_DeleteItemFromObject(e, key);
	}
}

/* A row's time with the hour, as the desk writes it. */
static void
queue_times(struct http_request *req, cJSON *list)
{
	cJSON	*e;

	cJSON_ArrayForEach(e, list)
		page_date(req, e, "created_at");
}

/* The link back to the first page of the same view, once paged. */
static void
queue_first(struct http_request *req, cJSON *data, const char *const *keys)
{
	struct strbuf	qs;

	if (PARAM(req, "after") == NULL)
		return;
	strbuf_init(&qs, 128);
	queue_query(req, &qs, keys);
	cJSON_AddStringToObject(data, "first_view", qs.data);
	strbuf_free(&qs);
}

/* GET /fachbereich: the department's reports, by the order chosen. */
int
page_staff_queue(struct http_request *req)
{
	static const char *const keys[] = { "status", "category", "overdue",
	    "department", "district", "age", "sort", NULL };
	PGresult	*choices, *res;
	enum db_status	s;
	cJSON		*data, *queue, *ch, *list;

	if (!queue_department(req))
		return (respond_error(req, 403, "forbidden", NULL, NULL));
	if (!defects_queue_cursor(req))
		return (page_error(req, 400, NULL));
	if ((s = db_step(req, &op_choices, &choices)) != DB_DONE ||
	    (s = db_step(req, &op_staff_defects, &res)) != DB_DONE)
		return (db_yield(s));
	data = page_new(req, "staff_queue");
	queue = db_json(res);
	ch = db_json(choices);
	list = cJSON_GetObjectItemCaseSensitive(queue, "defects");
	entry_labels(req, list, ch);
	queue_times(req, list);
	drop_zero(list, "pending_messages");
	drop_zero(list, "reopened");
	if (json_str(queue, "next") != NULL)
		next_link(req, data, "/fachbereich", keys,
		    json_str(queue, "next"));
	queue_first(req, data, keys);
	queue_counts(req, data, queue);
	queue_filters(req, data, ch, queue);
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
	if (PQntuples(res) == 0 || (result = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	r = cJSON_DetachItemFromObject(result, "report");
	data = form_data(req, "staff_defect");
	report_labels(req, r);
	page_form_errors(req, data);
	next_statuses(req, data, cJSON_GetObjectItemCaseSensitive(result,
	    "next"));
	cJSON_AddBoolToObject(data, "may_act", json_true(result, "may_act"));
	cJSON_Delete(result);
	ch = db_json(choices);
	page_mark(cJSON_GetObjectItemCaseSensitive(ch, "departments"), "slug",
	    json_str(cJSON_GetObjectItemCaseSensitive(r, "department"),
	    "slug"), "current");
	cJSON_AddItemToObject(data, "choices", ch);
	cJSON_AddItemToObject(data, "report", r);
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

/*
 * A photo's failed decision (a blur rectangle outside the photo) goes
 * next to that photo's form, with the ids of its fields.
 */
static void
photo_errors(struct http_request *req, cJSON *data, cJSON *photos)
{
	struct rq	*rq = rq_get(req);
	cJSON		*p;
	char		prefix[48];

	if (rq->resume == NULL || rq->form_page != &photo_form)
		return;
	cJSON_ArrayForEach(p, photos) {
		if (json_num(p, "id") != strtod(PARAM(req, "id"), NULL))
			continue;
		(void)snprintf(prefix, sizeof(prefix), "photo-%.0f-",
		    json_num(p, "id"));
		cJSON_AddItemToObject(p, "f", form_state(req, data, prefix));
	}
}

/* The tab shown: asked for, or the photos' after a photo's form. */
static const char *
moderation_tab(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (rq->resume != NULL && rq->form_page == &photo_form)
		return ("photos");
	return (PARAM(req, "tab") != NULL ? PARAM(req, "tab") : "texts");
}

/* The tabs with their counts, keeping the filters and the order. */
static void
moderation_tabs(struct http_request *req, cJSON *data, const cJSON *q)
{
	static const char *const tabs[][2] = { { "texts", "defects" },
	    { "messages", "messages" }, { "photos", "photos" } };
	static const char *const view[] = { "category", "district", "age",
	    "sort", NULL };
	const cJSON	*waiting = cJSON_GetObjectItemCaseSensitive(q,
	    "waiting");
	const char	*tab = moderation_tab(req);
	struct strbuf	qs;
	char		label[128];
	cJSON		*list, *e;
	size_t		i;

	strbuf_init(&qs, 128);
	queue_query(req, &qs, view);
	list = cJSON_AddArrayToObject(data, "tabs");
	for (i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		e = cJSON_CreateObject();
		(void)snprintf(label, sizeof(label), "%s (%.0f)",
		    page_text(req, "defect_moderation", tabs[i][0]),
		    json_num(waiting, tabs[i][1]));
		cJSON_AddStringToObject(e, "label", label);
		cJSON_AddStringToObject(e, "tab", tabs[i][0]);
		if (strcmp(tab, tabs[i][0]) == 0)
			cJSON_AddBoolToObject(e, "current", 1);
		cJSON_AddItemToArray(list, e);
	}
	cJSON_AddStringToObject(data, "view", qs.data);
	cJSON_AddStringToObject(data, "tab", tab);
	cJSON_AddBoolToObject(data, strcmp(tab, "texts") == 0 ? "tab_texts" :
	    strcmp(tab, "messages") == 0 ? "tab_messages" : "tab_photos", 1);
	if (json_str(q, "next") != NULL)
		cJSON_AddStringToObject(data, "next", json_str(q, "next"));
	cJSON_AddBoolToObject(data, "paged", PARAM(req, "after") != NULL);
	strbuf_free(&qs);
}

/* The filters' selects, with what is chosen marked. */
static void
moderation_filters(struct http_request *req, cJSON *data, cJSON *ch)
{
	static const char *const ages[] = { "1", "3", "7", NULL };
	static const char *const sorts[] = { "oldest", "newest", NULL };

	page_mark(cJSON_GetObjectItemCaseSensitive(ch, "categories"), "code",
	    PARAM(req, "category"), "selected");
	page_mark(cJSON_GetObjectItemCaseSensitive(ch, "districts"), "slug",
	    PARAM(req, "district"), "selected");
	cJSON_AddItemToObject(data, "ages", page_choices(req, ages,
	    "desk_ages", PARAM(req, "age")));
	cJSON_AddItemToObject(data, "sorts", page_choices(req, sorts,
	    "queue_sorts", PARAM(req, "sort") != NULL ? PARAM(req, "sort") :
	    "oldest"));
	cJSON_AddItemToObject(data, "choices", ch);
}

static int
moderation_show(struct http_request *req)
{
	PGresult	*res, *reasons, *choices;
	enum db_status	s;
	cJSON		*data, *q;
	const char	*lists[] = { "defects", "messages", "photos" };
	size_t		i;

	if (!defects_queue_cursor(req))
		return (page_error(req, 400, NULL));
	rq_var_put(req, "moderation_tab", moderation_tab(req));
	/* 15 rows, each with its decision form and the start of its text,
	 * stay within 50 KB of HTML (the browser test weighs the page). */
	rq_var_put(req, "limit", "15");
	if ((s = db_step(req, &op_moderation_defects, &res)) != DB_DONE ||
	    (s = db_step(req, &op_reasons, &reasons)) != DB_DONE ||
	    (s = db_step(req, &op_choices, &choices)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "defect_moderation");
	q = db_json(res);
	photo_errors(req, data, cJSON_GetObjectItemCaseSensitive(q, "photos"));
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		queue_times(req, cJSON_GetObjectItemCaseSensitive(q,
		    lists[i]));
	moderation_tabs(req, data, q);
	moderation_filters(req, data, db_json(choices));
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

/* POST /moderation/maengel/fotos/{id}: publish or remove. */
int
page_defect_photo_post(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (params_get(&rq->vars, "redirect") == NULL)
		rq_var_setf(req, "redirect", "/moderation/maengel?lang=%s"
		    "&tab=photos", lang_code(rq->lang));
	return (form_run(req, &photo_form, api_defect_photo_moderate));
}
