/*
 * The city's taxonomy as JSON: fields of action (Handlungsfelder),
 * strategic goals, districts and defect categories.  Each endpoint is a
 * declaration that routes.c points at; PostgreSQL builds the JSON document.
 */

#include <string.h>

#include "taxonomy.h"

static const char SQL_FIELDS[] =
    "SELECT json_build_object('fields', coalesce(json_agg(json_build_object("
    " 'id', f.id, 'slug', f.slug,"
    " 'name', json_build_object('de', f.name_de, 'en', f.name_en),"
    " 'description', json_build_object('de', f.description_de,"
    "  'en', f.description_en)) ORDER BY f.position), '[]'::json))"
    " FROM fields f";

static const char SQL_FIELD[] =
    "SELECT json_build_object('id', f.id, 'slug', f.slug,"
    " 'name', json_build_object('de', f.name_de, 'en', f.name_en),"
    " 'description', json_build_object('de', f.description_de,"
    "  'en', f.description_en))"
    " FROM fields f WHERE f.slug = $1";

static const char SQL_GOALS[] =
    "SELECT json_build_object('groups', coalesce(json_agg(json_build_object("
    " 'slug', g.slug,"
    " 'name', json_build_object('de', g.name_de, 'en', g.name_en),"
    " 'goals', (SELECT coalesce(json_agg(json_build_object('id', s.id,"
    "   'slug', s.slug,"
    "   'name', json_build_object('de', s.name_de, 'en', s.name_en),"
    "   'description', json_build_object('de', s.description_de,"
    "    'en', s.description_en)) ORDER BY s.position), '[]'::json)"
    "  FROM goals s WHERE s.group_id = g.id)) ORDER BY g.position),"
    " '[]'::json))"
    " FROM goal_groups g";

static const char SQL_DISTRICTS[] =
    "SELECT json_build_object('districts', coalesce(json_agg("
    " json_build_object('id', d.id, 'slug', d.slug, 'name', d.name,"
    " 'number', d.number, 'active', d.active, 'is_demo', d.is_demo)"
    " ORDER BY d.position), '[]'::json))"
    " FROM districts d";

static const char SQL_CATEGORIES[] =
    "SELECT json_build_object('categories', coalesce(json_agg("
    " json_build_object('code', c.code,"
    " 'name', json_build_object('de', c.name_de, 'en', c.name_en),"
    " 'description', json_build_object('de', c.description_de,"
    "  'en', c.description_en),"
    " 'keywords', c.keywords,"
    " 'department', json_build_object('slug', d.slug,"
    "  'name', json_build_object('de', d.name_de, 'en', d.name_en)))"
    " ORDER BY c.position), '[]'::json))"
    " FROM defect_categories c JOIN departments d ON d.id = c.department_id"
    " WHERE c.active AND ($1::text IS NULL OR d.slug = $1)";

static const char *const field_args[] = { "slug", NULL };
static const char *const category_args[] = { "department", NULL };

const struct db_op op_fields = {
	.name = "fields", .sql = SQL_FIELDS, .kind = DB_READ,
	.done = db_send_json,
};
const struct db_op op_field = {
	.name = "field", .sql = SQL_FIELD, .kind = DB_READ,
	.args = field_args, .done = db_send_json,
};
const struct db_op op_goals = {
	.name = "goals", .sql = SQL_GOALS, .kind = DB_READ,
	.done = db_send_json,
};
const struct db_op op_districts = {
	.name = "districts", .sql = SQL_DISTRICTS, .kind = DB_READ,
	.done = db_send_json,
};
const struct db_op op_categories = {
	.name = "categories", .sql = SQL_CATEGORIES, .kind = DB_READ,
	.args = category_args, .done = db_send_json,
};

/* The front page: the ten fields of action. */
static const char SQL_INDEX[] =
    "SELECT json_build_object('fields', coalesce(json_agg(json_build_object("
    " 'slug', f.slug,"
    " 'name', CASE WHEN $1 = 'en' THEN f.name_en ELSE f.name_de END,"
    " 'description', CASE WHEN $1 = 'en' THEN f.description_en"
    "  ELSE f.description_de END) ORDER BY f.position), '[]'::json))"
    " FROM fields f";

static const char *const index_args[] = { "@lang", NULL };

const struct db_op op_index = {
	.name = "page_index", .sql = SQL_INDEX, .kind = DB_READ,
	.args = index_args, .done = page_render, .extra = "index.html",
};

/*
 * An admin routes a defect category to a department and sets when its
 * reports count as overdue; reports already made stay where they are
 * (staff reassign them).  Only the given fields change.
 */
static const char SQL_CATEGORY_PUT[] =
    "WITH c AS (UPDATE defect_categories SET"
    "  department_id = coalesce((SELECT id FROM departments"
    "   WHERE slug = $2), department_id),"
    "  ack_days = coalesce($3::smallint, ack_days),"
    "  resolve_days = coalesce($4::smallint, resolve_days),"
    "  active = coalesce($5::boolean, active)"
    "  WHERE code = $1 AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM"
    "   departments WHERE slug = $2) OR taxonomy_unknown('department'))"
    "  RETURNING *),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind,"
    "  target_id, detail) SELECT $6::bigint, 'category.update', 'category',"
    "  c.id, jsonb_build_object('department', $2, 'ack_days', $3::int,"
    "  'resolve_days', $4::int, 'active', $5::boolean) FROM c)"
    " SELECT json_build_object('code', c.code, 'department', d.slug,"
    "  'ack_days', c.ack_days, 'resolve_days', c.resolve_days,"
    "  'active', c.active) FROM c JOIN departments d ON d.id = c.department_id";

static const char *const category_put_args[] = { "code", "department",
    "ack_days", "resolve_days", "active", "me", NULL };

static const struct db_constraint category_constraints[] = {
	{ "taxonomy_department", 422, "department", "is not a known "
	    "department", NULL },
	{ "defect_categories_ack_days_check", 422, "ack_days",
	    "must be 1 to 365 days", NULL },
	{ "defect_categories_resolve_days_check", 422, "resolve_days",
	    "must be 1 to 730 days", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_op op_category_put = {
	.name = "category_put", .sql = SQL_CATEGORY_PUT, .kind = DB_WRITE,
	.args = category_put_args, .constraints = category_constraints,
	.done = db_send_json,
};

static const struct input_field category_input[] = {
	{ "department", IN_TEXT, NULL },
	{ "ack_days", IN_INT, NULL },
	{ "resolve_days", IN_INT, NULL },
	{ "active", IN_BOOL, NULL },
	{ NULL, 0, NULL }
};

/* PUT /api/v1/admin/categories/{code} */
int
api_category_put(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const cJSON		*active;
	const char		*v;
	long long		n;

	if (rq->prepared)
		return (db_request(req, &op_category_put));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, category_input, &fe))
		return (respond_fields(req, 422, &fe));
	if ((v = input_text(req, "department")) != NULL)
		rq_var_set(req, "department", v);
	if (input_id(req, "ack_days", &n, &fe) == 1)
		rq_var_setf(req, "ack_days", "%lld", n);
	if (input_id(req, "resolve_days", &n, &fe) == 1)
		rq_var_setf(req, "resolve_days", "%lld", n);
	if (rq->body != NULL && (active = cJSON_GetObjectItemCaseSensitive(
	    rq->body, "active")) != NULL && cJSON_IsBool(active))
		rq_var_set(req, "active", cJSON_IsTrue(active) ? "t" : "f");
	else if (rq->body == NULL && (v = input_text(req, "active")) != NULL)
		rq_var_set(req, "active", strcmp(v, "true") == 0 ? "t" : "f");
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	return (db_request(req, &op_category_put));
}
