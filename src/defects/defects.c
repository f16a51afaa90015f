/*
 * Defect reports: the public list and map, "already reported nearby",
 * submission (anonymous, signed in, or by staff on a citizen's behalf)
 * with up to three photos, supports, and the reporter's status link.
 * The department's side is in workflow.c, stored photos in photos.c.
 *
 * Handlers check the input and derive vars; the work is done by the
 * functions in sql/functions/defect_*.sql in one statement each, which
 * also decide who may change what (staff of the report's department),
 * write the history and the audit log, and queue the reporter's mail.
 */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "defects.h"


/*
 * A report's statuses in workflow order; "open" is where every report
 * starts.  The database keeps the same list (the defect_reports.status
 * CHECK) and the steps between them (defect_status_allowed).
 */
const char *const defects_statuses[] = { "open", "acknowledged",
    "in_progress", "resolved", "not_responsible", "duplicate", "rejected",
    NULL };

const char *const defects_channels[] = { "online", "paper", "phone",
    "in_person", NULL };

/* What a list entry or a map point shows; never who reported it. */
#define DEFECT_CARD \
    "json_build_object('id', r.id, 'category', json_build_object(" \
    "  'code', c.code, 'name', CASE WHEN $7 = 'en' THEN c.name_en" \
    "  ELSE c.name_de END), 'status', r.status," \
    " 'location', CASE WHEN r.lat IS NOT NULL THEN" \
    "  json_build_object('lat', r.lat, 'lon', r.lon) END," \
    " 'address', r.address, 'district', d.slug," \
    " 'excerpt', CASE WHEN r.state = 'published' THEN" \
    "  left(r.description, 200) END," \
    " 'supports', r.support_count, 'overdue', defect_overdue(r, c)," \
    " 'created_at', r.created_at, 'updated_at', r.updated_at," \
    " 'url', '/maengel/' || r.id)"

/* Newest first, a page after the last id seen. */
static const char SQL_LIST[] =
    "SELECT json_build_object('defects', coalesce(json_agg(" DEFECT_CARD
    "  ORDER BY r.id DESC) FILTER (WHERE p.n <= p.lim), '[]'::json),"
    " 'next', CASE WHEN count(*) > min(p.lim) THEN"
    "  min(r.id) FILTER (WHERE p.n <= p.lim) END)"
    " FROM (SELECT r.id, coalesce($6::int, 20) AS lim,"
    "  row_number() OVER (ORDER BY r.id DESC) AS n"
    "  FROM defect_reports r JOIN defect_categories c"
    "  ON c.id = r.category_id"
    "  WHERE defect_public(r) AND ($1::text IS NULL OR c.code = $1)"
    "  AND ($2::text IS NULL OR r.status = $2 OR"
    "   ($2 = 'closed' AND r.closed_at IS NOT NULL) OR"
    "   ($2 = 'unresolved' AND r.closed_at IS NULL))"
    "  AND ($3::text IS NULL OR r.district_id ="
    "   (SELECT id FROM districts WHERE slug = $3))"
    "  AND ($4::text IS NULL OR r.department_id ="
    "   (SELECT id FROM departments WHERE slug = $4))"
    "  AND ($5::bigint IS NULL OR r.id < $5::bigint)"
    "  ORDER BY r.id DESC LIMIT coalesce($6::int, 20) + 1) p"
    " JOIN defect_reports r ON r.id = p.id"
    " JOIN defect_categories c ON c.id = r.category_id"
    " LEFT JOIN districts d ON d.id = r.district_id";

/*
 * The map (RFC 7946, lon before lat): points inside the box, a page in id
 * order; next_after (a foreign member, which GeoJSON allows) continues.
 */
static const char SQL_GEOJSON[] =
    "SELECT json_build_object('type', 'FeatureCollection',"
    " 'features', coalesce(json_agg(json_build_object('type', 'Feature',"
    "  'id', r.id, 'geometry', json_build_object('type', 'Point',"
    "   'coordinates', json_build_array(r.lon, r.lat)),"
    "  'properties', json_build_object('category', c.code,"
    "   'category_name', CASE WHEN $8 = 'en' THEN c.name_en"
    "   ELSE c.name_de END, 'status', r.status,"
    "   'closed', r.closed_at IS NOT NULL,"
    "   'supports', r.support_count, 'url', '/maengel/' || r.id))"
    "  ORDER BY r.id) FILTER (WHERE p.n <= p.lim), '[]'::json),"
    " 'next_after', CASE WHEN count(*) > min(p.lim)"
    "  THEN max(r.id) FILTER (WHERE p.n <= p.lim) END)"
    " FROM (SELECT r.id, coalesce($7::int, 500) AS lim,"
    "  row_number() OVER (ORDER BY r.id) AS n"
    "  FROM defect_reports r JOIN defect_categories c"
    "  ON c.id = r.category_id"
    "  WHERE r.lat IS NOT NULL AND defect_public(r)"
    "  AND r.lon BETWEEN $1::float8 AND $3::float8"
    "  AND r.lat BETWEEN $2::float8 AND $4::float8"
    "  AND ($5::text IS NULL OR c.code = $5)"
    "  AND ($6::bigint IS NULL OR r.id > $6::bigint)"
    "  AND ($9::text IS NULL OR r.status = $9 OR"
    "   ($9 = 'closed' AND r.closed_at IS NOT NULL) OR"
    "   ($9 = 'unresolved' AND r.closed_at IS NULL))"
    "  ORDER BY r.id LIMIT coalesce($7::int, 500) + 1) p"
    " JOIN defect_reports r ON r.id = p.id"
    " JOIN defect_categories c ON c.id = r.category_id";

/*
 * Open reports of the category within $4 metres, nearest first.  The box
 * narrows by the index; the distance is the equirectangular one, exact
 * enough at a city's scale.
 */
static const char SQL_NEARBY[] =
    "SELECT json_build_object('radius', $4::int, 'defects',"
    " coalesce(json_agg(json_build_object('id', n.id, 'status', n.status,"
    "  'distance', round(n.dist), 'address', n.address,"
    "  'location', json_build_object('lat', n.lat, 'lon', n.lon),"
    "  'excerpt', CASE WHEN n.state = 'published' THEN"
    "   left(n.description, 200) END, 'supports', n.support_count,"
    "  'created_at', n.created_at, 'url', '/maengel/' || n.id)"
    "  ORDER BY n.dist, n.id), '[]'::json))"
    " FROM (SELECT r.*, sqrt(power((r.lat - $2::float8) * 111195, 2) +"
    "  power((r.lon - $3::float8) * 111195 * cos(radians($2::float8)), 2))"
    "  AS dist FROM defect_reports r"
    "  JOIN defect_categories c ON c.id = r.category_id"
    "  WHERE c.code = $1 AND r.closed_at IS NULL AND defect_public(r)"
    "  AND r.lat BETWEEN $2::float8 - $4::int / 111195.0"
    "   AND $2::float8 + $4::int / 111195.0"
    "  AND r.lon BETWEEN $3::float8 - $4::int /"
    "   (111195.0 * cos(radians($2::float8)))"
    "   AND $3::float8 + $4::int / (111195.0 * cos(radians($2::float8)))"
    " ) n WHERE n.dist <= $4::int";

static const char SQL_DEFECT[] =
    "SELECT defect_json(r.id, $2::boolean,"
    " coalesce(r.reporter_id = $3::bigint, false), $4)"
    " FROM defect_reports r WHERE r.id = $1::bigint AND (defect_public(r)"
    "  OR $2::boolean OR coalesce(r.reporter_id = $3::bigint, false))";

/* The reporter's view by status link, with what they may still do. */
static const char SQL_BY_TOKEN[] =
    "SELECT defect_json(r.id, false, true, $2) || jsonb_build_object("
    " 'email', r.email_ct IS NOT NULL, 'notify', r.notify,"
    " 'answer_until', r.closed_at + make_interval(days => $3::int),"
    " 'can_confirm', r.status = 'resolved' AND r.confirmed_at IS NULL AND"
    "  r.closed_at >= now() - make_interval(days => $3::int),"
    " 'can_reopen', r.status IN ('resolved', 'rejected', 'not_responsible')"
    "  AND r.closed_at >= now() - make_interval(days => $3::int))"
    " FROM defect_reports r WHERE r.status_hash = $1::bytea";

static const char SQL_SUBMIT[] =
    "SELECT r::text, r->>'retry_after', r->>'id' FROM defect_submit("
    " coalesce($1::bigint, consent_take($30, $2::bigint)), $2::bigint, $3,"
    " $4, $5::float8, $6::float8, $7, $8, $9,"
    " CASE WHEN $32::boolean THEN open311_attributes($4, $10::jsonb)"
    "  ELSE $10::jsonb END, $11::bytea,"
    " $12::bytea, $13::bytea, $14::boolean, $15::bytea, $16::bytea, $17,"
    " $18::bigint, $19, $20::bytea[], $21::bytea[], $22::int[], $23::int[],"
    " $24::int[], $25::int[], $26::bytea, $27::text[], $28::int[],"
    " $29::int, $31) r";

static const char SQL_SUPPORT[] =
    "SELECT r->>'created', json_build_object('supports', r->'supports',"
    " 'supported', true) FROM defect_support_add($1::bigint, $2::bytea,"
    " $3::bigint) r";

static const char SQL_EMAIL_ERASE[] =
    "SELECT defect_email_erase($1::bytea)";

static const char *const list_args[] = { "category", "status", "district",
    "department", "after", "limit", "@lang", NULL };
static const char *const geojson_args[] = { "min_lon", "min_lat",
    "max_lon", "max_lat", "category", "after", "limit", "@lang", "status",
    NULL };
static const char *const nearby_args[] = { "category", "lat", "lon",
    "radius", NULL };
static const char *const defect_args[] = { "id", "staff", "me", "@lang",
    NULL };
static const char *const token_args[] = { "token_hash", "@lang",
    "reopen_days", NULL };
static const char *const submit_args[] = { "reporter", "entered_by",
    "channel", "category", "lat", "lon", "address", "district",
    "description", "attributes", "email_lookup", "email_ct", "contact_ct",
    "notify", "nonce", "status_hash", "open311_token", "api_key_id",
    "media_url", "photo_images", "photo_thumbs", "photo_widths",
    "photo_heights", "photo_thumb_widths", "photo_thumb_heights", "mail",
    "rate_keys", "rate_limits", "rate_window", "citizen_code", "@lang",
    "attributes_text", NULL };
static const char *const support_args[] = { "id", "supporter", "me", NULL };
static const char *const erase_args[] = { "token_hash", NULL };

/* "Report not found" for every path that names one (no existence oracle). */
const struct db_constraint defects_report_constraints[] = {
	{ "defect_report", 404, "id", "no such report", NULL },
	{ "defect_department", 403, "id", "the report is routed to another "
	    "department", "forbidden" },
	{ "defect_transition", 409, "status", NULL, "illegal_transition" },
	{ "defect_duplicate", 422, "duplicate_of", "is not another report",
	    NULL },
	{ "defect_target_department", 422, "department", "is not a known "
	    "department", NULL },
	{ "defect_reassign", 409, "department", NULL, "conflict" },
	{ "defect_feedback_state", 409, "action", NULL, "conflict" },
	{ "defect_feedback_window", 409, "action", NULL, "too_late" },
	{ "defect_support_report", 404, "id", "no open report with this id",
	    NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint submit_constraints[] = {
	{ "defect_category", 422, "category", "is not a known category",
	    NULL },
	{ "defect_district", 422, "district", "is not a known district",
	    NULL },
	{ "defect_attribute", 422, "attributes", NULL, NULL },
	{ "defect_citizen", 422, "citizen_code", "is not a known account",
	    NULL },
	{ "consent_code", 422, "citizen_code", "is unknown, expired or already "
	    "used: ask the citizen for a new one", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

const struct db_op op_defects = {
	.name = "defects", .sql = SQL_LIST, .kind = DB_READ,
	.args = list_args, .done = db_send_json,
};
const struct db_op op_defects_geojson = {
	.name = "defects_geojson", .sql = SQL_GEOJSON, .kind = DB_READ,
	.args = geojson_args, .done = db_send_geojson, .replica = 1,
};
const struct db_op op_defects_nearby = {
	.name = "defects_nearby", .sql = SQL_NEARBY, .kind = DB_READ,
	.args = nearby_args, .done = db_send_json,
};
const struct db_op op_defect = {
	.name = "defect", .sql = SQL_DEFECT, .kind = DB_READ,
	.args = defect_args, .done = db_send_json,
};
const struct db_op op_defect_by_token = {
	.name = "defect_by_token", .sql = SQL_BY_TOKEN, .kind = DB_READ,
	.args = token_args, .done = db_send_json,
};
const struct db_op op_defect_submit = {
	.name = "defect_submit", .sql = SQL_SUBMIT, .kind = DB_WRITE,
	.args = submit_args, .constraints = submit_constraints,
};
static const struct db_op op_support = {
	.name = "defect_support", .sql = SQL_SUPPORT, .kind = DB_WRITE,
	.args = support_args, .constraints = defects_report_constraints,
};
static const struct db_op op_email_erase = {
	.name = "defect_email_erase", .sql = SQL_EMAIL_ERASE, .kind = DB_WRITE,
	.args = erase_args, .constraints = defects_report_constraints,
	.done = db_send_json,
};

/* Sets a var unless the request already has it (a page may set it first). */
static void
var_default(struct http_request *req, const char *name, const char *value)
{
	if (params_get(&rq_get(req)->vars, name) == NULL)
		rq_var_set(req, name, value);
}

/* Whether the caller sees reports in every moderation state, and who. */
void
defects_viewer_vars(struct http_request *req)
{
	struct principal	*p = &rq_get(req)->who;

	var_default(req, "staff", (p->roles & (ROLE_STAFF | ROLE_MODERATOR |
	    ROLE_ADMIN)) ? "t" : "f");
}

/* GET /api/v1/defects/{id} */
int
api_defect(struct http_request *req)
{
	defects_viewer_vars(req);
	return (db_request(req, &op_defect));
}

/* "min_lon,min_lat,max_lon,max_lat" into four vars; the city by default. */
static int
bbox_vars(struct http_request *req)
{
	struct field_errors	fe;
	const char		*v;
	double			box[4];

	if ((v = params_get(&rq_get(req)->params, "bbox")) == NULL)
		memcpy(box, mw_config.bbox, sizeof(box));
	else if (!config_bbox(v, box)) {
		memset(&fe, 0, sizeof(fe));
		error_field_add(&fe, "bbox", "must be min_lon,min_lat,max_lon,"
		    "max_lat with min below max");
		respond_fields(req, 422, &fe);
		return (MW_ERROR);
	}
	rq_var_setf(req, "min_lon", "%.7f", box[0]);
	rq_var_setf(req, "min_lat", "%.7f", box[1]);
	rq_var_setf(req, "max_lon", "%.7f", box[2]);
	rq_var_setf(req, "max_lat", "%.7f", box[3]);
	return (MW_OK);
}

/* GET /api/v1/defects.geojson */
int
api_defects_geojson(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!bbox_vars(req))
			return (KORE_RESULT_OK);
	}
	return (db_request(req, &op_defects_geojson));
}

static int
decimal_param(struct http_request *req, const char *name, double *out)
{
	const char	*v;

	v = params_get(&rq_get(req)->params, name);
	return (v != NULL && validate_decimal(v, out));
}

/* GET /api/v1/defects/nearby?category=&lat=&lon= */
int
api_defects_nearby(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	double			lat, lon;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!decimal_param(req, "lat", &lat))
			error_field_add(&fe, "lat", "must be a number");
		if (!decimal_param(req, "lon", &lon))
			error_field_add(&fe, "lon", "must be a number");
		if (fe.count == 0 && !validate_point(lat, lon,
		    mw_config.bbox))
			error_field_add(&fe, "lat", "the point lies outside "
			    "the city");
		if (fe.count > 0)
			return (respond_fields(req, 422, &fe));
		rq_var_setf(req, "lat", "%.7f", lat);
		rq_var_setf(req, "lon", "%.7f", lon);
		rq_var_setf(req, "radius", "%d", mw_config.duplicate_radius);
	}
	return (db_request(req, &op_defects_nearby));
}

/* The status link for a token, as mails and the answer show it. */
void
defects_status_link(const char *token, char *out, size_t len)
{
	(void)snprintf(out, len, "%s/maengel/status/%s", mw_config.public_url,
	    token);
}

/*
 * A report's private status token: derived with a server key from a
 * random nonce kept in the row, so a later mail can repeat the link while
 * the database alone cannot produce it; only its keyed hash is looked up.
 */
void
defects_status_token(const unsigned char *nonce, char *token)
{
	char	hex[DEFECT_NONCE_LEN * 2 + 1];

	sodium_bin2hex(hex, sizeof(hex), nonce, DEFECT_NONCE_LEN);
	token_derive(&mw_keys, "defect-status", hex, token);
}

void
defects_new_token(struct http_request *req)
{
	unsigned char	nonce[DEFECT_NONCE_LEN], hash[TOKEN_HASH_LEN];
	char		token[TOKEN_LEN + 1], public[TOKEN_LEN + 1];

	randombytes_buf(nonce, sizeof(nonce));
	defects_status_token(nonce, token);
	token_hash(&mw_keys, token, hash);
	rq_var_bytea(req, "nonce", nonce, sizeof(nonce));
	rq_var_bytea(req, "status_hash", hash, sizeof(hash));
	rq_var_set(req, "status_token", token);
	/* Open311's token only names the request: public, random. */
	token_new(public);
	rq_var_set(req, "open311_token", public);
}

/* The status token's hash into var token_hash; 0 for a malformed one. */
int
defects_token_vars(struct http_request *req, const char *token)
{
	unsigned char	hash[TOKEN_HASH_LEN];

	if (token == NULL || !token_valid(token))
		return (MW_ERROR);
	token_hash(&mw_keys, token, hash);
	rq_var_bytea(req, "token_hash", hash, sizeof(hash));
	return (MW_OK);
}

int
defects_email_vars(struct http_request *req, const char *email,
    struct field_errors *fe)
{
	unsigned char	lookup[EMAIL_LOOKUP_LEN], ct[SEALED_MAX];
	char		norm[EMAIL_MAX + 1], link[CONFIG_PATH_MAX + 64];
	size_t		len;

	if (!email_normalize(email, norm, sizeof(norm))) {
		error_field_add(fe, "email", "is not an e-mail address");
		return (MW_ERROR);
	}
	email_lookup(&mw_keys, norm, lookup);
	if (!secret_seal(mw_keys.email, "email", norm, strlen(norm), ct,
	    sizeof(ct), &len))
		fatal("defects_email_vars: address too long");
	rq_var_bytea(req, "email_lookup", lookup, sizeof(lookup));
	rq_var_bytea(req, "email_ct", ct, len);
	defects_status_link(params_get(&rq_get(req)->vars, "status_token"),
	    link, sizeof(link));
	mail_var(req, "mail", norm, "defect_received", link);
	sodium_memzero(norm, sizeof(norm));
	return (MW_OK);
}

static const struct input_field defect_input[] = {
	{ "category", IN_TEXT, NULL },
	{ "lat", IN_NUMBER, NULL },
	{ "lon", IN_NUMBER, NULL },
	{ "address", IN_TEXT, NULL },
	{ "district", IN_TEXT, NULL },
	{ "description", IN_TEXT, NULL },
	{ "attributes", IN_MAP, "attribute-" },
	{ "email", IN_TEXT, NULL },
	{ "notify", IN_BOOL, NULL },
	{ "channel", IN_TEXT, NULL },
	{ "citizen_id", IN_INT, NULL },
	{ "citizen_code", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/*
 * The point (both or neither of lat and lon, inside the city) and the
 * address text: at least one of them.
 */
static void
location_vars(struct http_request *req, struct field_errors *fe)
{
	double	lat, lon;
	int	hlat, hlon, addr;

	addr = input_text(req, "address") != NULL;
	(void)input_text_var(req, "address", 3, 200, 0, fe);
	hlat = input_number(req, "lat", &lat, fe);
	hlon = input_number(req, "lon", &lon, fe);
	if (hlat < 0 || hlon < 0)
		return;
	if (hlat != hlon) {
		error_field_add(fe, hlat ? "lon" : "lat",
		    "latitude and longitude go together");
		return;
	}
	if (hlat == 0) {
		if (addr == 0)
			error_field_add(fe, "location", "give an address or "
			    "a point on the map");
		return;
	}
	if (!validate_point(lat, lon, mw_config.bbox)) {
		error_field_add(fe, "lat", "the point lies outside the city");
		return;
	}
	rq_var_setf(req, "lat", "%.7f", lat);
	rq_var_setf(req, "lon", "%.7f", lon);
}

/*
 * A number beyond a double (1e999) parses as infinity, which cJSON would
 * print as null: an optional attribute would pass as not given.
 */
static int
numbers_finite(const cJSON *item)
{
	const cJSON	*c;

	if (cJSON_IsNumber(item))
		return (isfinite(item->valuedouble));
	cJSON_ArrayForEach(c, item) {
		if (!numbers_finite(c))
			return (0);
	}
	return (1);
}

/*
 * The category's answers (Open311 attributes) as a JSON object in var
 * attributes: from the JSON body as given, from a form as strings
 * ("attribute-depth=12"); the database checks names, types and values.
 */
static void
attributes_var(struct http_request *req, struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*in;
	cJSON		*out;
	char		*json;
	int		i;

	if (rq->body != NULL) {
		in = cJSON_GetObjectItemCaseSensitive(rq->body, "attributes");
		if (in != NULL && !numbers_finite(in)) {
			error_field_add(fe, "attributes", "a number is out of "
			    "range");
			return;
		}
		out = in != NULL ? cJSON_Duplicate(in, 1) :
		    cJSON_CreateObject();
	} else {
		out = cJSON_CreateObject();
		for (i = 0; i < rq->form.count; i++) {
			if (strncmp(rq->form.items[i].name, "attribute-",
			    10) == 0 && rq->form.items[i].value[0] != '\0')
				cJSON_AddStringToObject(out,
				    rq->form.items[i].name + 10,
				    rq->form.items[i].value);
		}
	}
	json = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	/* A form sends text: numbers are read from it in SQL. */
	rq_var_set(req, "attributes_text", rq->body == NULL ? "t" : "f");
	rq_var_set(req, "attributes", json);
	cJSON_free(json);
}

/* The follow-up address: anonymous reporters only; mail wanted or not. */
static void
contact_vars(struct http_request *req, struct field_errors *fe)
{
	const char	*email;
	int		notify;

	notify = 1;
	if (rq_get(req)->body != NULL)
		notify = !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(
		    rq_get(req)->body, "notify"));
	else if ((email = input_text(req, "notify")) != NULL)
		notify = strcmp(email, "0") != 0 && strcmp(email, "false") != 0;
	rq_var_set(req, "notify", notify ? "t" : "f");
	if ((email = input_text(req, "email")) == NULL)
		return;
	if (rq_get(req)->who.account_id != 0 &&
	    params_get(&rq_get(req)->vars, "entered_by") == NULL) {
		error_field_add(fe, "email", "signed in, mail goes to your "
		    "account's address");
		return;
	}
	(void)defects_email_vars(req, email, fe);
}

int
defects_prepare(struct http_request *req)
{
	struct field_errors	fe;
	const char		*v;

	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, defect_input, &fe))
		return (respond_fields(req, 422, &fe), MW_ERROR);
	if (rq_get(req)->who.account_id != 0 && !submission_allowed(req))
		return (MW_ERROR);
	if (submission_channel(req, "reporter", &fe) < 0)
		return (MW_ERROR);
	if ((v = input_text(req, "category")) == NULL)
		error_field_add(&fe, "category", "required");
	else
		rq_var_set(req, "category", v);
	if ((v = input_text(req, "district")) != NULL)
		rq_var_set(req, "district", v);
	location_vars(req, &fe);
	(void)input_text_var(req, "description", 10, 4000,
	    TEXT_REQUIRED | TEXT_MULTILINE, &fe);
	if ((v = params_get(&rq_get(req)->vars, "description")) != NULL &&
	    strchr(v, '<') != NULL && strchr(v, '>') != NULL)
		error_field_add(&fe, "description", "plain text only, without "
		    "HTML");
	attributes_var(req, &fe);
	defects_new_token(req);
	contact_vars(req, &fe);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe), MW_ERROR);
	submission_limits(req);
	return (MW_OK);
}

/* 201 with the report, its status link and token; 429 at the limit. */
static int
created(struct http_request *req, PGresult *res)
{
	cJSON		*doc, *out;
	const char	*token;
	char		link[CONFIG_PATH_MAX + 64], location[64], *json;
	int		r;

	if (!PQgetisnull(res, 0, 1))
		return (submission_limited(req, PQgetvalue(res, 0, 1)));
	if (rq_get(req)->form_page != NULL)
		return (form_done(req));
	if ((doc = db_json(res)) == NULL)
		return (respond_error(req, 500, NULL, NULL, NULL));
	token = params_get(&rq_get(req)->vars, "status_token");
	defects_status_link(token, link, sizeof(link));
	out = cJSON_CreateObject();
	cJSON_AddItemToObject(out, "defect",
	    cJSON_DetachItemFromObject(doc, "defect"));
	cJSON_AddStringToObject(out, "status_token", token);
	cJSON_AddStringToObject(out, "status_url", link);
	cJSON_Delete(doc);
	json = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	(void)snprintf(location, sizeof(location), "/api/v1/defects/%s",
	    PQgetvalue(res, 0, 2));
	http_response_header(req, "location", location);
	r = respond(req, 201, JSON_TYPE, json, strlen(json));
	cJSON_free(json);
	return (r);
}

/* POST /api/v1/defects (JSON, or a multipart form with photos) */
int
api_defect_create(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!defects_prepare(req))
			return (KORE_RESULT_OK);
	}
	/* Photos are decoded and written anew off the event loop first. */
	if ((s = imaging_step(req)) != DB_DONE)
		return (db_yield(s));
	if ((s = db_step(req, &op_defect_submit, &res)) != DB_DONE)
		return (db_yield(s));
	return (created(req, res));
}

/*
 * POST /api/v1/defects/{id}/supports: one per person; anonymous people
 * count by client address (a keyed hash, so the table holds no address).
 */
int
api_defect_support(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	unsigned char	hash[TOKEN_HASH_LEN];
	char		key[96];
	PGresult	*res;
	enum db_status	s;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (rq->who.account_id != 0) {
			if (!submission_allowed(req))
				return (KORE_RESULT_OK);
			(void)snprintf(key, sizeof(key), "a:%lld",
			    (long long)rq->who.account_id);
		} else {
			memcpy(key, "c:", 2);
			submission_client_key(req, key + 2, sizeof(key) - 2);
		}
		token_hash(&mw_keys, key, hash);
		rq_var_bytea(req, "supporter", hash, sizeof(hash));
	}
	if ((s = db_step(req, &op_support, &res)) != DB_DONE)
		return (db_yield(s));
	return (respond_done(req, PQgetvalue(res, 0, 0)[0] == 't' ? 201 : 200,
	    JSON_TYPE, PQgetvalue(res, 0, 1),
	    (size_t)PQgetlength(res, 0, 1)));
}

/* The token from the path ({token}); 404 for one that cannot be ours. */
static int
path_token(struct http_request *req)
{
	if (defects_token_vars(req, params_get(&rq_get(req)->params,
	    "token")))
		return (MW_OK);
	respond_not_found(req);
	return (MW_ERROR);
}

/* GET /api/v1/defect-status/{token}: the reporter's view. */
int
api_defect_by_token(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!path_token(req))
			return (KORE_RESULT_OK);
		rq_var_setf(req, "reopen_days", "%d", mw_config.reopen_days);
	}
	return (db_request(req, &op_defect_by_token));
}

/* DELETE /api/v1/defect-status/{token}/email */
int
api_defect_email_erase(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!path_token(req))
			return (KORE_RESULT_OK);
	}
	return (db_request(req, &op_email_erase));
}

