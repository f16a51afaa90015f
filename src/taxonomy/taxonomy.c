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
    "  active = coalesce($5::boolean, active),"
    /* The Handlungsfeld its reports count in (016_projects.sql). */
    "  field_id = coalesce((SELECT id FROM fields WHERE slug = $7),"
    "   field_id),"
    "  name_de = coalesce($8, name_de), name_en = coalesce($9, name_en)"
    "  WHERE code = $1 AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM"
    "   departments WHERE slug = $2) OR taxonomy_unknown('department'))"
    "  AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM fields"
    "   WHERE slug = $7) OR taxonomy_unknown('field'))"
    "  RETURNING *),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind,"
    "  target_id, detail) SELECT $6::bigint, 'category.update', 'category',"
    "  c.id, jsonb_strip_nulls(jsonb_build_object('department', $2,"
    "  'ack_days', $3::int, 'resolve_days', $4::int, 'active', $5::boolean,"
    "  'field', $7, 'name_de', $8, 'name_en', $9)) FROM c)"
    " SELECT json_build_object('code', c.code, 'department', d.slug,"
    "  'field', (SELECT slug FROM fields WHERE id = c.field_id),"
    "  'name_de', c.name_de, 'name_en', c.name_en,"
    "  'ack_days', c.ack_days, 'resolve_days', c.resolve_days,"
    "  'active', c.active) FROM c JOIN departments d ON d.id = c.department_id";

static const char *const category_put_args[] = { "code", "department",
    "ack_days", "resolve_days", "active", "me", "field", "name_de",
    "name_en", NULL };

static const struct db_constraint category_constraints[] = {
	{ "taxonomy_department", 422, "department", "is not a known "
	    "department", NULL },
	{ "taxonomy_field", 422, "field", "is not a known field of action",
	    NULL },
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
	{ "field", IN_TEXT, NULL },
	{ "name_de", IN_TEXT, NULL },
	{ "name_en", IN_TEXT, NULL },
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
	if ((v = input_text(req, "field")) != NULL)
		rq_var_set(req, "field", v);
	if (input_present(req, "name_de"))
		(void)input_text_var(req, "name_de", 1, 120, TEXT_REQUIRED,
		    &fe);
	if (input_present(req, "name_en"))
		(void)input_text_var(req, "name_en", 1, 120, TEXT_REQUIRED,
		    &fe);
	if (input_id(req, "ack_days", &n, &fe) == 1)
		rq_var_setf(req, "ack_days", "%lld", n);
	if (input_id(req, "resolve_days", &n, &fe) == 1)
		rq_var_setf(req, "resolve_days", "%lld", n);
	if (rq->body != NULL && (active = cJSON_GetObjectItemCaseSensitive(
	    rq->body, "active")) != NULL && cJSON_IsBool(active))
		rq_var_set(req, "active", cJSON_IsTrue(active) ? "t" : "f");
	else if (rq->body == NULL && (v = input_text(req, "active")) != NULL)
		rq_var_set(req, "active", strcmp(v, "true") == 0 ? "t" : "f");
	/* The categories page: a checkbox not ticked is not sent. */
	else if (rq->body == NULL && rq->form_page != NULL)
		rq_var_set(req, "active", "f");
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	return (db_request(req, &op_category_put));
}

/*
 * Admins keep the taxonomy: the names and descriptions of the fields of
 * action and the goals (their slugs stay: links and filters use them),
 * and the districts (added, renamed, renumbered).  Only what is given
 * changes; every change is in the audit log in the same statement.
 */
static const char SQL_FIELD_PUT[] =
    "WITH u AS (UPDATE fields SET name_de = coalesce($2, name_de),"
    "  name_en = coalesce($3, name_en),"
    "  description_de = coalesce($4, description_de),"
    "  description_en = coalesce($5, description_en)"
    "  WHERE slug = $1 RETURNING *),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind,"
    "  target_id, detail) SELECT $6::bigint, 'field.update', 'field', u.id,"
    "  jsonb_strip_nulls(jsonb_build_object('slug', u.slug, 'name_de', $2,"
    "  'name_en', $3, 'description_de', $4, 'description_en', $5)) FROM u)"
    " SELECT json_build_object('slug', slug, 'name_de', name_de,"
    "  'name_en', name_en, 'description_de', description_de,"
    "  'description_en', description_en) FROM u";

static const char SQL_GOAL_PUT[] =
    "WITH u AS (UPDATE goals SET name_de = coalesce($2, name_de),"
    "  name_en = coalesce($3, name_en),"
    "  description_de = coalesce($4, description_de),"
    "  description_en = coalesce($5, description_en)"
    "  WHERE slug = $1 RETURNING *),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind,"
    "  target_id, detail) SELECT $6::bigint, 'goal.update', 'goal', u.id,"
    "  jsonb_strip_nulls(jsonb_build_object('slug', u.slug, 'name_de', $2,"
    "  'name_en', $3, 'description_de', $4, 'description_en', $5)) FROM u)"
    " SELECT json_build_object('slug', slug, 'name_de', name_de,"
    "  'name_en', name_en, 'description_de', description_de,"
    "  'description_en', description_en) FROM u";

/*
 * A new district takes the next id and, unless given, the last place.  Its
 * official number is optional ("" or left out: none); it starts active.
 */
static const char SQL_DISTRICT_ADD[] =
    "WITH n AS (INSERT INTO districts (id, slug, name, position, number,"
    "  active)"
    "  SELECT coalesce(max(id), 0) + 1, $1, $2,"
    "  coalesce($3::smallint, coalesce(max(position), 0) + 1),"
    "  nullif($5, ''), coalesce($6::boolean, true)"
    "  FROM districts RETURNING *),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind,"
    "  target_id, detail) SELECT $4::bigint, 'district.create', 'district',"
    "  n.id, jsonb_build_object('slug', n.slug, 'name', n.name,"
    "  'position', n.position, 'number', n.number, 'active', n.active)"
    "  FROM n)"
    " SELECT json_build_object('id', id, 'slug', slug, 'name', name,"
    "  'number', number, 'position', position, 'active', active) FROM n";

/*
 * Only what is given changes.  A number given as "" is taken away (a
 * district that lost its official number); active false retires the
 * district: no longer accepted in new contributions (idea_submit.sql,
 * page_choices), still named on what already refers to it.
 */
static const char SQL_DISTRICT_PUT[] =
    "WITH u AS (UPDATE districts SET name = coalesce($2, name),"
    "  position = coalesce($3::smallint, position),"
    "  number = CASE WHEN $5::text IS NULL THEN number"
    "   ELSE nullif($5, '') END,"
    "  active = coalesce($6::boolean, active), is_demo = false"
    "  WHERE slug = $1 RETURNING *),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind,"
    "  target_id, detail) SELECT $4::bigint, 'district.update', 'district',"
    "  u.id, jsonb_strip_nulls(jsonb_build_object('slug', u.slug,"
    "  'name', $2, 'position', $3::int, 'number', $5,"
    "  'active', $6::boolean)) FROM u)"
    " SELECT json_build_object('id', id, 'slug', slug, 'name', name,"
    "  'number', number, 'position', position, 'active', active) FROM u";

static const char *const entry_put_args[] = { "slug", "name_de", "name_en",
    "description_de", "description_en", "me", NULL };
static const char *const district_add_args[] = { "slug", "name", "position",
    "me", "number", "active", NULL };
static const char *const district_put_args[] = { "slug", "name", "position",
    "me", "number", "active", NULL };

static const struct db_constraint field_constraints[] = {
	{ "fields_name_de_check", 422, "name_de", "must be 1 to 120 "
	    "characters long", NULL },
	{ "fields_name_en_check", 422, "name_en", "must be 1 to 120 "
	    "characters long", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint district_constraints[] = {
	{ "districts_slug_key", 409, "slug", "is taken by another district",
	    NULL },
	{ "districts_position_key", 409, "position", "is taken by another "
	    "district", NULL },
	{ "districts_slug_check", 422, "slug", "must be 1 to 64 of a-z, 0-9 "
	    "and -", NULL },
	{ "districts_number_key", 409, "number", "is taken by another "
	    "district", NULL },
	{ "districts_number_check", 422, "number", "must be 1 to 6 digits, "
	    "or empty", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

const struct db_op op_field_put = {
	.name = "field_put", .sql = SQL_FIELD_PUT, .kind = DB_WRITE,
	.args = entry_put_args, .constraints = field_constraints,
	.done = db_send_json,
};
const struct db_op op_goal_put = {
	.name = "goal_put", .sql = SQL_GOAL_PUT, .kind = DB_WRITE,
	.args = entry_put_args, .done = db_send_json,
};
static const struct db_op op_district_add = {
	.name = "district_add", .sql = SQL_DISTRICT_ADD, .kind = DB_WRITE,
	.args = district_add_args, .constraints = district_constraints,
};
static const struct db_op op_district_put = {
	.name = "district_put", .sql = SQL_DISTRICT_PUT, .kind = DB_WRITE,
	.args = district_put_args, .constraints = district_constraints,
	.done = db_send_json,
};

static const struct input_field entry_input[] = {
	{ "name_de", IN_TEXT, NULL },
	{ "name_en", IN_TEXT, NULL },
	{ "description_de", IN_TEXT, NULL },
	{ "description_en", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/* Names and descriptions of a field of action or a goal. */
static int
entry_put(struct http_request *req, const struct db_op *op)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	if (rq->prepared)
		return (db_request(req, op));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, entry_input, &fe))
		return (respond_fields(req, 422, &fe));
	/* A name may change, never vanish: an empty one is an error. */
	if (input_present(req, "name_de"))
		(void)input_text_var(req, "name_de", 1, 120, TEXT_REQUIRED,
		    &fe);
	if (input_present(req, "name_en"))
		(void)input_text_var(req, "name_en", 1, 120, TEXT_REQUIRED,
		    &fe);
	(void)input_text_var(req, "description_de", 1, 2000, TEXT_MULTILINE,
	    &fe);
	(void)input_text_var(req, "description_en", 1, 2000, TEXT_MULTILINE,
	    &fe);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	return (db_request(req, op));
}

/* PUT /api/v1/admin/fields/{slug} */
int
api_field_put(struct http_request *req)
{
	return (entry_put(req, &op_field_put));
}

/* PUT /api/v1/admin/goals/{slug} */
int
api_goal_put(struct http_request *req)
{
	return (entry_put(req, &op_goal_put));
}

static const struct input_field district_input[] = {
	{ "slug", IN_TEXT, NULL },
	{ "name", IN_TEXT, NULL },
	{ "position", IN_INT, NULL },
	{ "number", IN_TEXT, NULL },
	{ "active", IN_BOOL, NULL },
	{ NULL, 0, NULL }
};

/* "" (none) or 1 to 6 digits: the city's own numbering, kept as text. */
static int
district_number_ok(const char *v)
{
	size_t	i, n = strlen(v);

	if (n > 6)
		return (0);
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return (0);
	}
	return (1);
}

/*
 * A district as given: name, place in lists, official number, active;
 * MW_ERROR with reasons.  Checked here so a form and the API name the
 * same field; the table's checks stay as the last word.
 */
static int
district_check(struct http_request *req, int creating, struct field_errors *fe)
{
	const cJSON	*active;
	const char	*num;
	double		pos;
	int		r;

	if (!input_fields(req, district_input, fe))
		return (MW_ERROR);
	if (!creating && input_present(req, "slug"))
		error_field_add(fe, "slug", "cannot be changed");
	if (creating || input_present(req, "name"))
		(void)input_text_var(req, "name", 1, 120, TEXT_REQUIRED, fe);
	if ((r = input_number(req, "position", &pos, fe)) == 1 &&
	    (pos < 1 || pos > 999 || pos != (double)(int)pos))
		error_field_add(fe, "position", "must be a whole number from "
		    "1 to 999");
	else if (r == 1)
		rq_var_setf(req, "position", "%d", (int)pos);
	if ((num = input_get(req, "number")) != NULL) {
		if (!district_number_ok(num))
			error_field_add(fe, "number", "must be 1 to 6 digits, "
			    "or empty");
		else
			rq_var_set(req, "number", num);
	}
	/* JSON true/false; the forms send "true" or "false" as text. */
	active = cJSON_GetObjectItemCaseSensitive(rq_get(req)->body,
	    "active");
	if (active != NULL)
		rq_var_set(req, "active", cJSON_IsTrue(active) ? "t" : "f");
	else if (input_present(req, "active"))
		rq_var_set(req, "active", input_text(req, "active") != NULL &&
		    strcmp(input_text(req, "active"), "true") == 0 ? "t" : "f");
	return (fe->count == 0 ? MW_OK : MW_ERROR);
}

/* POST /api/v1/admin/districts {"slug", "name", "position", "number",
 * "active"}: 201. */
int
api_district_create(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*slug;
	PGresult		*res;
	enum db_status		s;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (district_check(req, 1, &fe)) {
			slug = input_text(req, "slug");
			if (slug == NULL)
				error_field_add(&fe, "slug", "required");
			else
				rq_var_set(req, "slug", slug);
		}
		if (fe.count > 0)
			return (respond_fields(req, 422, &fe));
	}
	if ((s = db_step(req, &op_district_add, &res)) != DB_DONE)
		return (db_yield(s));
	return (respond_done(req, 201, JSON_TYPE, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0)));
}

/* PUT /api/v1/admin/districts/{slug} {"name", "position", "number",
 * "active"} */
int
api_district_put(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!district_check(req, 0, &fe))
			return (respond_fields(req, 422, &fe));
	}
	return (db_request(req, &op_district_put));
}

/*
 * The retire/reactivate form of /verwaltung/taxonomie: its confirmation
 * is checked there; the statement and the audit entry are the API's.
 */
int
district_active_put(struct http_request *req)
{
	return (db_request(req, &op_district_put));
}
