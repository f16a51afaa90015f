/*
 * The administration in the browser, its taxonomy part: the fields of
 * action and the strategic goals (names and descriptions in German and
 * English), the districts (added, renamed, renumbered, retired and
 * brought back after a ticked confirmation), and the defect
 * categories with their routing (department, Handlungsfeld, names, the
 * days until a report is overdue, active).  The forms run the API's own
 * handlers (taxonomy.c): the same checks, the same audit log.
 */

#include <stdio.h>
#include <string.h>

#include "taxonomy.h"

static const char SQL_TAXONOMY_PAGE[] =
    "SELECT json_build_object("
    " 'fields', (SELECT coalesce(json_agg(json_build_object('slug', slug,"
    "  'name_de', name_de, 'name_en', name_en) ORDER BY position),"
    "  '[]'::json) FROM fields),"
    " 'goals', (SELECT coalesce(json_agg(json_build_object('slug', g.slug,"
    "  'name_de', g.name_de, 'name_en', g.name_en)"
    "  ORDER BY gg.position, g.position), '[]'::json)"
    "  FROM goals g JOIN goal_groups gg ON gg.id = g.group_id),"
    " 'districts', (SELECT coalesce(json_agg(json_build_object("
    "  'slug', slug, 'name', name, 'number', number, 'active', active,"
    "  'is_demo', is_demo) ORDER BY position), '[]'::json) FROM districts))";

/* One district for its own page: its forms to edit and to retire it. */
static const char SQL_DISTRICT[] =
    "SELECT json_build_object('slug', slug, 'name', name,"
    " 'position', position, 'number', number, 'active', active,"
    " 'is_demo', is_demo) FROM districts WHERE slug = $1";

/* One field of action or goal for its form ($2: which table). */
static const char SQL_ENTRY[] =
    "SELECT json_build_object('slug', slug, 'name_de', name_de,"
    " 'name_en', name_en, 'description_de', description_de,"
    " 'description_en', description_en)"
    " FROM (SELECT slug, name_de, name_en, description_de, description_en"
    "  FROM fields WHERE $2 = 'field' UNION ALL SELECT slug, name_de,"
    "  name_en, description_de, description_en FROM goals"
    "  WHERE $2 = 'goal') e WHERE e.slug = $1";

static const char SQL_CATEGORIES_PAGE[] =
    "SELECT json_build_object('categories', coalesce(json_agg("
    " json_build_object('code', c.code, 'name_de', c.name_de,"
    " 'name_en', c.name_en, 'active', c.active,"
    " 'department', CASE WHEN $1 = 'en' THEN d.name_en ELSE d.name_de END,"
    " 'field', CASE WHEN $1 = 'en' THEN f.name_en ELSE f.name_de END)"
    " ORDER BY c.position), '[]'::json))"
    " FROM defect_categories c JOIN departments d ON d.id = c.department_id"
    " LEFT JOIN fields f ON f.id = c.field_id";

static const char SQL_CATEGORY[] =
    "SELECT json_build_object('code', c.code, 'name_de', c.name_de,"
    " 'name_en', c.name_en, 'active', c.active, 'ack_days', c.ack_days,"
    " 'resolve_days', c.resolve_days, 'department', d.slug,"
    " 'field', (SELECT slug FROM fields WHERE id = c.field_id),"
    " 'departments', (SELECT json_agg(json_build_object('slug', slug,"
    "  'name', CASE WHEN $2 = 'en' THEN name_en ELSE name_de END)"
    "  ORDER BY slug) FROM departments),"
    " 'fields', (SELECT json_agg(json_build_object('slug', slug,"
    "  'name', CASE WHEN $2 = 'en' THEN name_en ELSE name_de END)"
    "  ORDER BY position) FROM fields))"
    " FROM defect_categories c JOIN departments d ON d.id = c.department_id"
    " WHERE c.code = $1";

static const char *const entry_args[] = { "slug", "kind", NULL };
static const char *const district_args[] = { "slug", NULL };
static const char *const categories_args[] = { "@lang", NULL };
static const char *const category_args_page[] = { "code", "@lang", NULL };

static const struct db_op op_taxonomy_page = {
	.name = "admin_taxonomy", .sql = SQL_TAXONOMY_PAGE, .kind = DB_READ,
};
static const struct db_op op_district = {
	.name = "admin_district", .sql = SQL_DISTRICT, .kind = DB_READ,
	.args = district_args,
};
static const struct db_op op_entry = {
	.name = "admin_entry", .sql = SQL_ENTRY, .kind = DB_READ,
	.args = entry_args,
};
static const struct db_op op_categories_page = {
	.name = "admin_categories", .sql = SQL_CATEGORIES_PAGE,
	.kind = DB_READ, .args = categories_args,
};
static const struct db_op op_category = {
	.name = "admin_category", .sql = SQL_CATEGORY, .kind = DB_READ,
	.args = category_args_page,
};

static int	taxonomy_show(struct http_request *);
static int	district_show(struct http_request *);
static int	entry_show(struct http_request *);
static int	categories_show(struct http_request *);
static int	category_show(struct http_request *);

static const struct form_page taxonomy_form = {
	"admin_taxonomy.html", "admin_taxonomy", NULL, NULL, taxonomy_show
};
static const struct form_page district_form = {
	"admin_district.html", "admin_district", NULL, NULL, district_show
};
static const struct form_page active_form = {
	"admin_district.html", "admin_district", NULL, NULL, district_show
};
static const struct form_page field_form = {
	"admin_entry.html", "admin_field", NULL, NULL, entry_show
};
static const struct form_page goal_form = {
	"admin_entry.html", "admin_goal", NULL, NULL, entry_show
};
static const struct form_page categories_form = {
	"admin_categories.html", "admin_categories", NULL, NULL,
	categories_show
};
static const struct form_page category_form = {
	"admin_category.html", "admin_category", NULL, NULL, category_show
};

/* Replaces obj's keys by what was typed into the failed form. */
static void
typed(cJSON *obj, const cJSON *f, const char *const *keys)
{
	const char	*v;
	int		i;

	for (i = 0; keys[i] != NULL; i++) {
		v = json_str(f, keys[i]);
		cJSON_DeleteItemFromObjectCaseSensitive(obj, keys[i]);
		cJSON_AddStringToObject(obj, keys[i], v != NULL ? v : "");
	}
	cJSON_AddItemToObject(obj, "errors", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(f, "errors"), 1));
}

/*
 * GET /verwaltung/taxonomie: the fields, the goals, the districts as a
 * short table (their forms are on their own pages, so the page stays
 * small however many districts there are) and the form that adds one,
 * again with its errors after a failed submission.
 */
static int
taxonomy_show(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *doc;

	if ((s = db_step(req, &op_taxonomy_page, &res)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "admin_taxonomy");
	page_notice(req, data);
	cJSON_AddItemToObject(data, "f", form_state(req, data, "d-new-"));
	if ((doc = db_json(res)) != NULL)
		cJSON_AddItemToObject(data, "x", doc);
	return (form_render(req, data, "admin_taxonomy.html"));
}

/*
 * GET /verwaltung/taxonomie/bezirke/{slug}: the district's edit form and
 * its retire/reactivate form; after a failed submission of either, that
 * form again with its errors and what was typed.
 */
static int
district_show(struct http_request *req)
{
	static const char *const keys[] = { "name", "position", "number",
	    NULL };
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *d, *f;

	if ((s = db_step(req, &op_district, &res)) != DB_DONE)
		return (db_yield(s));
	if ((d = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	data = form_data(req, "admin_district");
	page_notice(req, data);
	f = form_state(req, data, "district-");
	/* The heading names the district as stored, not as typed. */
	cJSON_AddItemToObject(d, "heading", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(d, "name"), 0));
	cJSON_AddItemToObject(d, "heading_number", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(d, "number"), 0));
	/* The retire form has no text fields: only its error. */
	if (rq->form_again && rq->form_page == &active_form)
		cJSON_AddItemToObject(d, "active_errors", cJSON_Duplicate(
		    cJSON_GetObjectItemCaseSensitive(f, "errors"), 1));
	else if (rq->form_again)
		typed(d, f, keys);
	cJSON_Delete(f);
	cJSON_AddItemToObject(data, "d", d);
	return (form_render(req, data, "admin_district.html"));
}

int
page_admin_taxonomy(struct http_request *req)
{
	return (form_blank(req, &taxonomy_form));
}

int
page_admin_district(struct http_request *req)
{
	return (form_blank(req, &district_form));
}

/*
 * After a district's form: back on that district's page.  The slug is
 * the one in the address, or for a new district the one typed (used only
 * once the API has accepted it, so never a malformed one).
 */
static void
district_redirect(struct http_request *req, const char *slug,
    const char *done)
{
	char	path[160];

	if (slug == NULL || strlen(slug) > 100)
		slug = "";
	(void)snprintf(path, sizeof(path), "/verwaltung/taxonomie/bezirke/%s",
	    slug);
	form_redirect_done(req, *slug != '\0' ? path :
	    "/verwaltung/taxonomie", done);
}

static int
district_add_form(struct http_request *req)
{
	if (!rq_get(req)->prepared)
		district_redirect(req, input_text(req, "slug"),
		    "district-added");
	return (api_district_create(req));
}

/* POST /verwaltung/taxonomie/bezirke: slug, name, position, number. */
int
page_admin_district_add_post(struct http_request *req)
{
	return (form_run(req, &taxonomy_form, district_add_form));
}

static int
district_put_form(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (!rq->prepared)
		district_redirect(req, params_get(&rq->params, "slug"),
		    "district-saved");
	return (api_district_put(req));
}

/* POST /verwaltung/taxonomie/bezirke/{slug}: name, position, number. */
int
page_admin_district_post(struct http_request *req)
{
	return (form_run(req, &district_form, district_put_form));
}

/*
 * Retiring a district takes it out of every form at once, so it needs a
 * ticked confirmation, like revoking a role or a key; so does bringing
 * it back.  active: "false" retires, "true" reactivates.
 */
static int
district_active_form(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*active;
	int			on;

	if (rq->prepared)
		return (district_active_put(req));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	active = params_get(&rq->form, "active");
	on = active != NULL && strcmp(active, "true") == 0;
	if (!on && (active == NULL || strcmp(active, "false") != 0))
		error_field_add(&fe, "active", "must be true or false");
	if (params_get(&rq->form, "confirm") == NULL)
		error_field_add(&fe, "confirm", "required");
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	rq_var_set(req, "active", on ? "t" : "f");
	district_redirect(req, params_get(&rq->params, "slug"), on ?
	    "district-reactivated" : "district-retired");
	return (district_active_put(req));
}

/* POST /verwaltung/taxonomie/bezirke/{slug}/aktiv: active, confirm. */
int
page_admin_district_active_post(struct http_request *req)
{
	return (form_run(req, &active_form, district_active_form));
}

/* The form of one field of action or goal. */
static int
entry_show(struct http_request *req)
{
	static const char *const keys[] = { "name_de", "name_en",
	    "description_de", "description_en", NULL };
	struct rq	*rq = rq_get(req);
	int		goal = rq->form_page == &goal_form;
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *e, *f;

	rq_var_put(req, "kind", goal ? "goal" : "field");
	if ((s = db_step(req, &op_entry, &res)) != DB_DONE)
		return (db_yield(s));
	if ((e = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	data = form_data(req, goal ? "admin_goal" : "admin_field");
	page_notice(req, data);
	f = form_state(req, data, "");
	if (rq->form_again)
		typed(e, f, keys);
	cJSON_Delete(f);
	cJSON_AddStringToObject(e, "path", goal ? "ziele" : "felder");
	cJSON_AddItemToObject(data, "e", e);
	return (form_render(req, data, "admin_entry.html"));
}

int
page_admin_field(struct http_request *req)
{
	return (form_blank(req, &field_form));
}

int
page_admin_goal(struct http_request *req)
{
	return (form_blank(req, &goal_form));
}

static int
field_put_form(struct http_request *req)
{
	if (!rq_get(req)->prepared)
		form_redirect_done(req, "/verwaltung/taxonomie",
		    "field-saved");
	return (api_field_put(req));
}

static int
goal_put_form(struct http_request *req)
{
	if (!rq_get(req)->prepared)
		form_redirect_done(req, "/verwaltung/taxonomie", "goal-saved");
	return (api_goal_put(req));
}

/* POST /verwaltung/taxonomie/felder/{slug} */
int
page_admin_field_post(struct http_request *req)
{
	return (form_run(req, &field_form, field_put_form));
}

/* POST /verwaltung/taxonomie/ziele/{slug} */
int
page_admin_goal_post(struct http_request *req)
{
	return (form_run(req, &goal_form, goal_put_form));
}

/* GET /verwaltung/kategorien: the categories and where they go. */
static int
categories_show(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *doc;

	if ((s = db_step(req, &op_categories_page, &res)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "admin_categories");
	page_notice(req, data);
	if ((doc = db_json(res)) != NULL)
		cJSON_AddItemToObject(data, "c", doc);
	return (form_render(req, data, "admin_categories.html"));
}

int
page_admin_categories(struct http_request *req)
{
	return (form_blank(req, &categories_form));
}

/* GET /verwaltung/kategorien/{code}: one category's routing form. */
static int
category_show(struct http_request *req)
{
	static const char *const keys[] = { "name_de", "name_en", "ack_days",
	    "resolve_days", "department", "field", NULL };
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *c, *f;

	if ((s = db_step(req, &op_category, &res)) != DB_DONE)
		return (db_yield(s));
	if ((c = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	data = form_data(req, "admin_category");
	page_notice(req, data);
	f = form_state(req, data, "");
	if (rq->form_again) {
		typed(c, f, keys);
		cJSON_ReplaceItemInObjectCaseSensitive(c, "active",
		    cJSON_CreateBool(json_str(f, "active") != NULL));
	}
	cJSON_Delete(f);
	page_mark(cJSON_GetObjectItemCaseSensitive(c, "departments"), "slug",
	    json_str(c, "department"), "selected");
	page_mark(cJSON_GetObjectItemCaseSensitive(c, "fields"), "slug",
	    json_str(c, "field"), "selected");
	cJSON_AddItemToObject(data, "c", c);
	return (form_render(req, data, "admin_category.html"));
}

int
page_admin_category(struct http_request *req)
{
	return (form_blank(req, &category_form));
}

static int
category_put_form(struct http_request *req)
{
	if (!rq_get(req)->prepared)
		form_redirect_done(req, "/verwaltung/kategorien",
		    "category-saved");
	return (api_category_put(req));
}

/* POST /verwaltung/kategorien/{code} */
int
page_admin_category_post(struct http_request *req)
{
	return (form_run(req, &category_form, category_put_form));
}
