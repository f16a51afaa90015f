/*
 * The city's taxonomy as JSON: fields of action (Handlungsfelder),
 * strategic goals, districts and defect categories.  Each endpoint is a
 * declaration that routes.c points at; PostgreSQL builds the JSON document.
 */

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
    " 'is_demo', d.is_demo) ORDER BY d.position), '[]'::json))"
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
