/*
 * Ideas: the public list and map, search and "similar ideas", the detail
 * with its status history and comments, submission (also by staff on a
 * citizen's behalf), supports, comments, flags and the public status.
 *
 * Handlers check the input and derive vars; the work is done by the
 * functions in sql/functions/ in one statement each, which also decide
 * visibility (pre- or post-moderation) and write the audit log.
 */

#include <stdio.h>
#include <string.h>

#include "ideas.h"


/* The filters the list, the map and the HTML list share. */
/* Points per GeoJSON page unless the client asks for fewer (or more). */
#define GEOJSON_PAGE	"500"

#define IDEA_FILTERS \
    " i.state = 'published'" \
    " AND ($1::text IS NULL OR i.field_id =" \
    "  (SELECT id FROM fields WHERE slug = $1))" \
    " AND ($2::text IS NULL OR i.district_id =" \
    "  (SELECT id FROM districts WHERE slug = $2))" \
    " AND ($3::text IS NULL OR i.status = $3)" \
    " AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM idea_goals ig" \
    "  JOIN goals g ON g.id = ig.goal_id" \
    "  WHERE ig.idea_id = i.id AND g.slug = $4))" \
    " AND ($5::text IS NULL OR" \
    "  i.search @@ websearch_to_tsquery('german', $5))"

/* One list entry: what a list or a card shows, not the whole idea. */
#define IDEA_CARD(lang) \
    "json_build_object('id', i.id, 'title', i.title," \
    " 'excerpt', left(i.description, 280)," \
    " 'field', json_build_object('slug', f.slug, 'name'," \
    "  CASE WHEN " lang " = 'en' THEN f.name_en ELSE f.name_de END)," \
    " 'district', CASE WHEN d.id IS NOT NULL THEN" \
    "  json_build_object('slug', d.slug, 'name', d.name) END," \
    " 'status', i.status, 'supports', i.support_count," \
    " 'author', CASE WHEN a.deleted_at IS NULL THEN a.pseudonym END," \
    " 'channel', i.channel, 'published_at', i.published_at," \
    " 'location', CASE WHEN i.lat IS NOT NULL THEN" \
    "  json_build_object('lat', i.lat, 'lon', i.lon) END)"

/*
 * Keyset pagination: a page continues after the sort key of the last row
 * it saw, so ideas published meanwhile neither repeat nor push entries
 * off.  One more row than asked for tells whether there is a next page.
 * Only the columns a card needs are read (not the search vector).
 */
#define IDEA_PAGE(cursor, where, order, limit, lang) \
    "SELECT json_build_object('ideas', coalesce(json_agg(" IDEA_CARD(lang) \
    "  ORDER BY i.rn) FILTER (WHERE i.rn <= " limit "), '[]'::json)," \
    " 'next', CASE WHEN max(i.rn) > " limit " THEN" \
    "  max(i.cursor) FILTER (WHERE i.rn = " limit ") END)" \
    " FROM (SELECT i.id, i.title, i.description, i.field_id," \
    "  i.district_id, i.status, i.support_count, i.author_id, i.channel," \
    "  i.published_at, i.lat, i.lon, " cursor " AS cursor," \
    "  row_number() OVER (ORDER BY " order ") AS rn" \
    "  FROM ideas i WHERE " where \
    "  ORDER BY " order " LIMIT " limit " + 1) i" \
    " JOIN fields f ON f.id = i.field_id" \
    " LEFT JOIN districts d ON d.id = i.district_id" \
    " LEFT JOIN accounts a ON a.id = i.author_id"

#define NEWEST_CURSOR \
    "'n.' || (extract(epoch FROM i.published_at) * 1000000)::bigint" \
    " || '.' || i.id"
#define NEWEST_AFTER(a, b) \
    "(i.published_at, i.id) < ('epoch'::timestamptz +" \
    " " a "::bigint * interval '1 microsecond', " b "::bigint)"
#define NEWEST_ORDER	"i.published_at DESC, i.id DESC"
#define SUPPORTED_CURSOR "'s.' || i.support_count || '.' || i.id"
#define SUPPORTED_AFTER(a, b) \
    "(i.support_count, i.id) < (" a "::bigint, " b "::bigint)"
#define SUPPORTED_ORDER	"i.support_count DESC, i.id DESC"

/* With filters: one statement, planned with the values each time. */
static const char SQL_LIST_NEWEST[] = IDEA_PAGE(NEWEST_CURSOR,
    IDEA_FILTERS " AND ($6::bigint IS NULL OR " NEWEST_AFTER("$6", "$7")
    ")", NEWEST_ORDER, "$8::int", "$9");
static const char SQL_LIST_SUPPORTED[] = IDEA_PAGE(SUPPORTED_CURSOR,
    IDEA_FILTERS " AND ($6::bigint IS NULL OR " SUPPORTED_AFTER("$6", "$7")
    ")", SUPPORTED_ORDER, "$8::int", "$9");

/*
 * Without filters, the page everybody loads: fixed shapes, prepared once
 * per connection, each a plain index scan from the start or the cursor.
 */
static const char SQL_NEWEST_FIRST[] = IDEA_PAGE(NEWEST_CURSOR,
    "i.state = 'published'", NEWEST_ORDER, "$1::int", "$2");
static const char SQL_NEWEST_AFTER[] = IDEA_PAGE(NEWEST_CURSOR,
    "i.state = 'published' AND " NEWEST_AFTER("$1", "$2"), NEWEST_ORDER,
    "$3::int", "$4");
static const char SQL_SUPPORTED_FIRST[] = IDEA_PAGE(SUPPORTED_CURSOR,
    "i.state = 'published'", SUPPORTED_ORDER, "$1::int", "$2");
static const char SQL_SUPPORTED_AFTER[] = IDEA_PAGE(SUPPORTED_CURSOR,
    "i.state = 'published' AND " SUPPORTED_AFTER("$1", "$2"),
    SUPPORTED_ORDER, "$3::int", "$4");

/* The map: every published idea with a point (RFC 7946, lon before lat). */
/*
 * A page of points in id order (20k ideas were 5.3 MB in one answer): one
 * row more than the page tells whether there is a next one, and
 * next_after (a foreign member, which GeoJSON allows) is the cursor.
 */
static const char SQL_GEOJSON[] =
    "SELECT json_build_object('type', 'FeatureCollection',"
    " 'features', coalesce(json_agg(p.feature ORDER BY p.id)"
    "  FILTER (WHERE p.n <= p.lim), '[]'::json),"
    " 'next_after', CASE WHEN count(*) > min(p.lim)"
    "  THEN max(p.id) FILTER (WHERE p.n <= p.lim) END)"
    " FROM (SELECT i.id, coalesce($7::int, " GEOJSON_PAGE ") AS lim,"
    "  row_number() OVER (ORDER BY i.id) AS n,"
    "  json_build_object('type', 'Feature',"
    "  'id', i.id, 'geometry', json_build_object('type', 'Point',"
    "   'coordinates', json_build_array(i.lon, i.lat)),"
    "  'properties', json_build_object('title', i.title,"
    "   'field', f.slug, 'status', i.status,"
    "   'supports', i.support_count,"
    "   'url', '/ideen/' || i.id)) AS feature"
    " FROM ideas i JOIN fields f ON f.id = i.field_id"
    " WHERE" IDEA_FILTERS " AND i.lat IS NOT NULL"
    "  AND ($6::bigint IS NULL OR i.id > $6::bigint)"
    " ORDER BY i.id LIMIT coalesce($7::int, " GEOJSON_PAGE ") + 1) p";

/* While a citizen writes: published ideas like the title so far. */
static const char SQL_SIMILAR[] =
    "SELECT json_build_object('ideas', coalesce(json_agg(json_build_object("
    " 'id', s.id, 'title', s.title, 'status', s.status,"
    " 'supports', s.support_count, 'similarity', round(s.sim::numeric, 2))"
    " ORDER BY s.sim DESC, s.id), '[]'::json)) FROM ("
    " SELECT i.id, i.title, i.status, i.support_count,"
    "  greatest(similarity(i.title, $1),"
    "  CASE WHEN i.search @@ plainto_tsquery('german', $1) THEN 0.3"
    "  ELSE 0 END) AS sim"
    " FROM ideas i WHERE i.state = 'published' AND (i.title % $1 OR"
    "  i.search @@ plainto_tsquery('german', $1))"
    " ORDER BY sim DESC, i.id LIMIT 5) s";

static const char SQL_IDEA[] =
    "SELECT idea_json($1::bigint, $2::bigint, $3::boolean, $4)";

/*
 * A page of an idea's comments (comment_page, sql/007): 50 threads or
 * $5, oldest first, after comment $4; none for an idea the viewer may not
 * see.
 */
static const char SQL_COMMENTS[] =
    "SELECT comment_page(i.id, $2::bigint, $3::boolean,"
    " coalesce($4::bigint, 0), coalesce($5::int, 50))"
    " FROM ideas i WHERE i.id = $1::bigint"
    " AND idea_visible(i, $2::bigint, $3::boolean)";

/* A comment where its Location points: visible as within its idea. */
static const char SQL_COMMENT_GET[] =
    "SELECT comment_json(c.id, $2::bigint, $3::boolean)"
    " FROM comments c JOIN ideas i ON i.id = c.idea_id"
    " WHERE c.id = $1::bigint AND ($3::boolean OR"
    "  (c.state = 'published' AND i.state = 'published') OR"
    "  ($2::bigint IS NOT NULL AND c.author_id = $2::bigint))";

static const char SQL_SUBMIT[] =
    "SELECT r->'idea', r->>'retry_after', r->'idea'->>'id' FROM"
    " idea_submit(coalesce($1::bigint, consent_take($15, $2::bigint)),"
    " $2::bigint, $3, $4, $5, $6, $7::text[], $8,"
    " $9::float8, $10::float8, $11::text[], $12::int[], $13::int, $14) r";

static const char SQL_COMMENT[] =
    "SELECT r->'comment', r->>'retry_after', r->'comment'->>'id' FROM"
    " comment_submit(coalesce($1::bigint, consent_take($10,"
    " $2::bigint)), $2::bigint, $3, $4::bigint, $5::bigint,"
    " $6, $7::text[], $8::int[], $9::int) r";

static const char SQL_SUPPORT_ADD[] =
    "SELECT r->>'created', json_build_object('supports', r->'supports',"
    " 'supported', true) FROM support_add($1::bigint, $2::bigint) r";

static const char SQL_SUPPORT_REMOVE[] =
    "SELECT json_build_object('supports', r->'supports', 'supported', false)"
    " FROM support_remove($1::bigint, $2::bigint) r WHERE r IS NOT NULL";

static const char SQL_FLAG[] =
    "SELECT r->>'created', r::text FROM flag_add($1::bigint, $2, $3::bigint,"
    " $4, $5) r";

static const char SQL_STATUS[] =
    "SELECT idea_set_status($1::bigint, $2::bigint, $3, $4, $5::bigint, $6)";

static const char *const list_args[] = { "field", "district", "status",
    "goal", "q", "after_a", "after_b", "limit", "@lang", NULL };
static const char *const geojson_args[] = { "field", "district", "status",
    "goal", "q", "after", "limit", NULL };
static const char *const first_args[] = { "limit", "@lang", NULL };
static const char *const after_args[] = { "after_a", "after_b", "limit",
    "@lang", NULL };
static const char *const similar_args[] = { "q", NULL };
static const char *const idea_args[] = { "id", "me", "moderator", "@lang",
    NULL };
static const char *const comment_get_args[] = { "id", "me", "moderator",
    NULL };
static const char *const comments_args[] = { "id", "me", "moderator",
    "after", "limit", NULL };
static const char *const submit_args[] = { "author", "entered_by",
    "channel", "title", "description", "field", "goals", "district", "lat",
    "lon", "rate_keys", "rate_limits", "rate_window", "@lang",
    "citizen_code", NULL };
static const char *const comment_args[] = { "author", "entered_by",
    "channel", "id", "parent_id", "body", "rate_keys", "rate_limits",
    "rate_window", "citizen_code", NULL };
static const char *const support_args[] = { "me", "id", NULL };
static const char *const flag_args[] = { "me", "kind", "id", "reason",
    "note", NULL };
static const char *const status_args[] = { "me", "id", "status",
    "justification", "duplicate_of", "@lang", NULL };

static const struct db_constraint submit_constraints[] = {
	{ "idea_field", 422, "field", "is not a known field of action",
	    NULL },
	{ "idea_district", 422, "district", "is not a known district", NULL },
	{ "idea_goals", 422, "goals", "contains an unknown strategic goal",
	    NULL },
	{ "idea_citizen", 422, "citizen_code", "is not a known account", NULL },
	{ "consent_code", 422, "citizen_code", "is unknown, expired or already "
	    "used: ask the citizen for a new one", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint comment_constraints[] = {
	{ "comment_idea", 404, "id", "no published idea with this id",
	    NULL },
	{ "comment_parent", 422, "parent_id", "is not a comment of this idea "
	    "that takes replies", NULL },
	{ "idea_citizen", 422, "citizen_code", "is not a known account", NULL },
	{ "consent_code", 422, "citizen_code", "is unknown, expired or already "
	    "used: ask the citizen for a new one", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint support_constraints[] = {
	{ "support_idea", 404, "id", "no published idea with this id", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint flag_constraints[] = {
	{ "flag_target", 404, "id", "nothing published with this id", NULL },
	{ "flag_reason", 422, "reason", "is not a reason for flagging", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint status_constraints[] = {
	{ "status_idea", 404, "id", "no idea with this id", NULL },
	{ "status_unpublished", 409, "status", "only published ideas have a "
	    "public status", "conflict" },
	{ "status_transition", 409, "status", "this status cannot follow the "
	    "current one", "illegal_transition" },
	{ "status_duplicate", 422, "duplicate_of", "is not another published "
	    "idea", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_op op_list_newest = {
	.name = "ideas_newest", .sql = SQL_LIST_NEWEST, .kind = DB_READ,
	.args = list_args, .done = db_send_json,
};
static const struct db_op op_list_supported = {
	.name = "ideas_supported", .sql = SQL_LIST_SUPPORTED, .kind = DB_READ,
	.args = list_args, .done = db_send_json,
};
static const struct db_op op_newest_first = {
	.name = "ideas_newest_first", .sql = SQL_NEWEST_FIRST, .kind = DB_READ,
	.args = first_args, .done = db_send_json, .prepare = 1,
};
static const struct db_op op_newest_after = {
	.name = "ideas_newest_after", .sql = SQL_NEWEST_AFTER, .kind = DB_READ,
	.args = after_args, .done = db_send_json, .prepare = 1,
};
static const struct db_op op_supported_first = {
	.name = "ideas_supported_first", .sql = SQL_SUPPORTED_FIRST,
	.kind = DB_READ, .args = first_args, .done = db_send_json,
	.prepare = 1,
};
static const struct db_op op_supported_after = {
	.name = "ideas_supported_after", .sql = SQL_SUPPORTED_AFTER,
	.kind = DB_READ, .args = after_args, .done = db_send_json,
	.prepare = 1,
};
const struct db_op op_ideas_geojson = {
	.name = "ideas_geojson", .sql = SQL_GEOJSON, .kind = DB_READ,
	.args = geojson_args, .done = db_send_geojson, .replica = 1,
};
const struct db_op op_ideas_similar = {
	.name = "ideas_similar", .sql = SQL_SIMILAR, .kind = DB_READ,
	.args = similar_args, .done = db_send_json,
};
const struct db_op op_idea = {
	.name = "idea", .sql = SQL_IDEA, .kind = DB_READ,
	.args = idea_args, .done = db_send_json,
};
static const struct db_op op_comments = {
	.name = "comments", .sql = SQL_COMMENTS, .kind = DB_READ,
	.args = comments_args, .done = db_send_json,
};
static const struct db_op op_comment_get = {
	.name = "comment_get", .sql = SQL_COMMENT_GET, .kind = DB_READ,
	.args = comment_get_args, .done = db_send_json,
};
const struct db_op op_idea_submit = {
	.name = "idea_submit", .sql = SQL_SUBMIT, .kind = DB_WRITE,
	.args = submit_args, .constraints = submit_constraints,
};
static const struct db_op op_comment = {
	.name = "comment_submit", .sql = SQL_COMMENT, .kind = DB_WRITE,
	.args = comment_args, .constraints = comment_constraints,
};
static const struct db_op op_support_add = {
	.name = "support_add", .sql = SQL_SUPPORT_ADD, .kind = DB_WRITE,
	.args = support_args, .constraints = support_constraints,
};
static const struct db_op op_support_remove = {
	.name = "support_remove", .sql = SQL_SUPPORT_REMOVE, .kind = DB_WRITE,
	.args = support_args, .done = db_send_json,
};
static const struct db_op op_flag = {
	.name = "flag", .sql = SQL_FLAG, .kind = DB_WRITE,
	.args = flag_args, .constraints = flag_constraints,
};
static const struct db_op op_status = {
	.name = "idea_status", .sql = SQL_STATUS, .kind = DB_WRITE,
	.args = status_args, .constraints = status_constraints,
	.done = db_send_json,
};

static int
filtered(const struct param_set *ps)
{
	static const char *const filters[] = { "field", "district", "status",
	    "goal", "q", NULL };
	int	i;

	for (i = 0; filters[i] != NULL; i++) {
		if (params_get(ps, filters[i]) != NULL)
			return (1);
	}
	return (0);
}

/*
 * Picks the list statement for the sort order, the filters and the
 * cursor, and binds the cursor (?after=) as two numbers; MW_ERROR after a
 * 422 for a cursor that is not of this list.
 */
int
ideas_list_prepare(struct http_request *req, const struct db_op **op)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*after, *sort;
	long long		a, b;
	int			supported;

	sort = params_get(&rq->params, "sort");
	supported = sort != NULL && strcmp(sort, "supported") == 0;
	after = params_get(&rq->params, "after");
	if (filtered(&rq->params))
		*op = supported ? &op_list_supported : &op_list_newest;
	else if (after == NULL)
		*op = supported ? &op_supported_first : &op_newest_first;
	else
		*op = supported ? &op_supported_after : &op_newest_after;
	if (rq->prepared)
		return (MW_OK);
	rq->prepared = 1;
	if (after != NULL) {
		if (!validate_cursor(after, supported ? 's' : 'n', &a, &b)) {
			memset(&fe, 0, sizeof(fe));
			error_field_add(&fe, "after", "is not a cursor of this "
			    "list and sort order");
			respond_fields(req, 422, &fe);
			return (MW_ERROR);
		}
		rq_var_setf(req, "after_a", "%lld", a);
		rq_var_setf(req, "after_b", "%lld", b);
	}
	if (params_get(&rq->params, "limit") == NULL)
		rq_var_set(req, "limit", "20");
	return (MW_OK);
}

/* GET /api/v1/ideas */
int
api_ideas(struct http_request *req)
{
	const struct db_op	*op;

	if (!ideas_list_prepare(req, &op))
		return (KORE_RESULT_OK);
	return (cache_request(req, op));
}

/* Whether the caller sees ideas in every moderation state. */
void
ideas_viewer_vars(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (params_get(&rq->vars, "moderator") == NULL)
		rq_var_set(req, "moderator", (rq->who.roles & ROLE_MODERATOR) ?
		    "t" : "f");
}

/* GET /api/v1/ideas/{id} */
int
api_idea(struct http_request *req)
{
	ideas_viewer_vars(req);
	return (db_request(req, &op_idea));
}

/* GET /api/v1/ideas/{id}/comments */
int
api_idea_comments(struct http_request *req)
{
	ideas_viewer_vars(req);
	return (db_request(req, &op_comments));
}

/* GET /api/v1/comments/{id} */
int
api_comment(struct http_request *req)
{
	ideas_viewer_vars(req);
	return (db_request(req, &op_comment_get));
}

static const struct input_field idea_input[] = {
	{ "title", IN_TEXT, NULL },
	{ "description", IN_TEXT, NULL },
	{ "field", IN_TEXT, NULL },
	{ "goals", IN_LIST, "goal-" },
	{ "district", IN_TEXT, NULL },
	{ "lat", IN_NUMBER, NULL },
	{ "lon", IN_NUMBER, NULL },
	{ "channel", IN_TEXT, NULL },
	{ "citizen_id", IN_INT, NULL },
	{ "citizen_code", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

static void
point_vars(struct http_request *req, struct field_errors *fe)
{
	double	lat, lon;
	int	hlat, hlon;

	hlat = input_number(req, "lat", &lat, fe);
	hlon = input_number(req, "lon", &lon, fe);
	if (hlat < 0 || hlon < 0)
		return;
	if (hlat != hlon) {
		error_field_add(fe, hlat ? "lon" : "lat",
		    "latitude and longitude go together");
		return;
	}
	if (hlat == 0)
		return;
	if (!validate_point(lat, lon, mw_config.bbox)) {
		error_field_add(fe, "lat", "the point lies outside the city");
		return;
	}
	rq_var_setf(req, "lat", "%.7f", lat);
	rq_var_setf(req, "lon", "%.7f", lon);
}

/* Checks an idea and derives its vars; MW_ERROR after an answer. */
int
ideas_prepare(struct http_request *req)
{
	struct field_errors	fe;
	const char		*v;
	int			r;

	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, idea_input, &fe))
		return (respond_fields(req, 422, &fe), MW_ERROR);
	if (!submission_allowed(req))
		return (MW_ERROR);
	if ((r = submission_channel(req, "author", &fe)) < 0)
		return (MW_ERROR);
	(void)input_text_var(req, "title", 5, 120, TEXT_REQUIRED, &fe);
	(void)input_text_var(req, "description", 20, 5000,
	    TEXT_REQUIRED | TEXT_MULTILINE, &fe);
	if ((v = input_text(req, "field")) == NULL)
		error_field_add(&fe, "field", "required");
	else
		rq_var_set(req, "field", v);
	(void)input_slugs(req, &idea_input[3], 9, &fe);
	if ((v = input_text(req, "district")) != NULL)
		rq_var_set(req, "district", v);
	point_vars(req, &fe);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe), MW_ERROR);
	submission_limits(req);
	return (MW_OK);
}

/* After a submission: 201 with the new resource, or 429 at the limit. */
static int
created(struct http_request *req, PGresult *res, const char *base)
{
	const char	*to;
	char		location[96], back[192];

	if (!PQgetisnull(res, 0, 1))
		return (submission_limited(req, PQgetvalue(res, 0, 1)));
	if (rq_get(req)->form_page != NULL) {
		/* A page's way back to the new item: "…#kommentar-" + id. */
		to = params_get(&rq_get(req)->vars, "redirect");
		if (to != NULL && strlen(to) > 0 && to[strlen(to) - 1] == '-') {
			(void)snprintf(back, sizeof(back), "%s%s", to,
			    PQgetvalue(res, 0, 2));
			rq_var_update(req, "redirect", back);
		}
		return (form_done(req));
	}
	(void)snprintf(location, sizeof(location), "%s%s", base,
	    PQgetvalue(res, 0, 2));
	http_response_header(req, "location", location);
	return (respond(req, 201, JSON_TYPE, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0)));
}

/* POST /api/v1/ideas */
int
api_idea_create(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!ideas_prepare(req))
			return (KORE_RESULT_OK);
	}
	if ((s = db_step(req, &op_idea_submit, &res)) != DB_DONE)
		return (db_yield(s));
	return (created(req, res, "/api/v1/ideas/"));
}

static const struct input_field comment_input[] = {
	{ "body", IN_TEXT, NULL },
	{ "parent_id", IN_INT, NULL },
	{ "channel", IN_TEXT, NULL },
	{ "citizen_id", IN_INT, NULL },
	{ "citizen_code", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/* POST /api/v1/ideas/{id}/comments */
int
api_comment_create(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;
	long long		parent;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!input_fields(req, comment_input, &fe))
			return (respond_fields(req, 422, &fe));
		if (!submission_allowed(req) ||
		    submission_channel(req, "author", &fe) < 0)
			return (KORE_RESULT_OK);
		(void)input_text_var(req, "body", 2, 2000,
		    TEXT_REQUIRED | TEXT_MULTILINE, &fe);
		if (input_id(req, "parent_id", &parent, &fe) == 1)
			rq_var_setf(req, "parent_id", "%lld", parent);
		if (fe.count > 0)
			return (respond_fields(req, 422, &fe));
		submission_limits(req);
	}
	if ((s = db_step(req, &op_comment, &res)) != DB_DONE)
		return (db_yield(s));
	return (created(req, res, "/api/v1/comments/"));
}

/* POST /api/v1/ideas/{id}/supports: 201 the first time, then 200. */
int
api_support_add(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;

	if (!rq_get(req)->prepared) {
		rq_get(req)->prepared = 1;
		if (!submission_allowed(req))
			return (KORE_RESULT_OK);
	}
	if ((s = db_step(req, &op_support_add, &res)) != DB_DONE)
		return (db_yield(s));
	return (respond_done(req, PQgetvalue(res, 0, 0)[0] == 't' ? 201 : 200,
	    JSON_TYPE, PQgetvalue(res, 0, 1),
	    (size_t)PQgetlength(res, 0, 1)));
}

/* DELETE /api/v1/ideas/{id}/supports */
int
api_support_remove(struct http_request *req)
{
	return (db_request(req, &op_support_remove));
}

static const struct input_field flag_input[] = {
	{ "reason", IN_TEXT, NULL },
	{ "note", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

static int
flag_create(struct http_request *req, const char *kind)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;
	const char		*reason;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!input_fields(req, flag_input, &fe))
			return (respond_fields(req, 422, &fe));
		if (!submission_allowed(req))
			return (KORE_RESULT_OK);
		if ((reason = input_text(req, "reason")) == NULL)
			error_field_add(&fe, "reason", "required");
		else
			rq_var_set(req, "reason", reason);
		(void)input_text_var(req, "note", 1, 500, TEXT_MULTILINE, &fe);
		if (fe.count > 0)
			return (respond_fields(req, 422, &fe));
		rq_var_set(req, "kind", kind);
	}
	if ((s = db_step(req, &op_flag, &res)) != DB_DONE)
		return (db_yield(s));
	return (respond_done(req, PQgetvalue(res, 0, 0)[0] == 't' ? 201 : 200,
	    JSON_TYPE, PQgetvalue(res, 0, 1),
	    (size_t)PQgetlength(res, 0, 1)));
}

/* POST /api/v1/ideas/{id}/flags */
int
api_idea_flag(struct http_request *req)
{
	return (flag_create(req, "idea"));
}

/* POST /api/v1/comments/{id}/flags */
int
api_comment_flag(struct http_request *req)
{
	return (flag_create(req, "comment"));
}

static const struct input_field status_input[] = {
	{ "status", IN_TEXT, NULL },
	{ "justification", IN_TEXT, NULL },
	{ "duplicate_of", IN_INT, NULL },
	{ NULL, 0, NULL }
};

/*
 * An idea's public statuses, in the order people meet them; the first is
 * where every idea starts and cannot be set.  The database keeps the
 * same list (the ideas.status CHECK) and the steps allowed between them
 * (status_allowed); tests/http/rules.test.mjs holds the three together.
 */
const char *const ideas_statuses[] = { "submitted", "under_review",
    "accepted", "in_implementation", "implemented", "not_feasible",
    "duplicate", NULL };

/* POST /api/v1/ideas/{id}/status: a new public status, with reasons. */
int
api_idea_status(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*status;
	long long		dup;
	int			r;

	if (rq->prepared)
		return (db_request(req, &op_status));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, status_input, &fe))
		return (respond_fields(req, 422, &fe));
	if ((status = input_text(req, "status")) == NULL)
		error_field_add(&fe, "status", "required");
	else if (!input_one_of(status, ideas_statuses + 1))
		error_field_add(&fe, "status", "must be under_review, "
		    "accepted, in_implementation, implemented, "
		    "not_feasible or duplicate");
	else
		rq_var_set(req, "status", status);
	(void)input_text_var(req, "justification", 10, 2000,
	    TEXT_REQUIRED | TEXT_MULTILINE, &fe);
	r = input_id(req, "duplicate_of", &dup, &fe);
	if (status != NULL && strcmp(status, "duplicate") == 0 && r == 0)
		error_field_add(&fe, "duplicate_of", "required");
	else if (r == 1 && (status == NULL || strcmp(status, "duplicate")))
		error_field_add(&fe, "duplicate_of", "only with the status "
		    "duplicate");
	else if (r == 1)
		rq_var_setf(req, "duplicate_of", "%lld", dup);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	return (db_request(req, &op_status));
}
