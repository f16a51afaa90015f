/*
 * Open311 GeoReport v2 at /open311/v2/: discovery, services, a service's
 * definition, new service requests (with an API key), the request list,
 * one request, and a token's request.  Every answer is JSON or XML as the
 * path's extension says; the XML is derived from the same JSON
 * (src/lib/open311.c), errors are the spec's array (src/core/respond.c,
 * for every Open311 route).  README "Open311".
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "defects.h"

/* The date of this interface's last change, for discovery. */
#define CHANGESET		"2026-12-03T00:00:00Z"
#define WINDOW_DAYS		90
#define PAGE_SIZE		"1000"
/* A key serves an app's many users: this many times an address's limit. */
#define KEY_LIMIT_FACTOR	10

static const char SQL_SERVICES[] =
    "SELECT coalesce(json_agg(json_build_object("
    " 'service_code', c.code,"
    " 'service_name', CASE WHEN $1 = 'en' THEN c.name_en ELSE c.name_de END,"
    " 'description', CASE WHEN $1 = 'en' THEN c.description_en"
    "  ELSE c.description_de END,"
    " 'metadata', EXISTS (SELECT 1 FROM defect_attributes a"
    "  WHERE a.category_id = c.id),"
    " 'type', 'realtime',"
    " 'keywords', nullif(array_to_string(regexp_split_to_array("
    "  btrim(c.keywords), '\\s+'), ','), ''),"
    " 'group', CASE WHEN $1 = 'en' THEN d.name_en ELSE d.name_de END)"
    " ORDER BY c.position), '[]'::json)"
    " FROM defect_categories c JOIN departments d ON d.id = c.department_id"
    " WHERE c.active";

static const char SQL_DEFINITION[] =
    "SELECT json_build_object('service_code', c.code,"
    " 'attributes', coalesce((SELECT json_agg(json_build_object("
    "  'variable', true, 'code', a.code, 'datatype', a.datatype,"
    "  'required', a.required, 'datatype_description', NULL,"
    "  'order', a.position,"
    "  'description', CASE WHEN $2 = 'en' THEN a.description_en"
    "   ELSE a.description_de END,"
    "  'values', (SELECT coalesce(json_agg(json_build_object("
    "   'key', v.e->>'key', 'name', CASE WHEN $2 = 'en' THEN"
    "   v.e->>'name_en' ELSE v.e->>'name_de' END) ORDER BY v.n), '[]')"
    "   FROM jsonb_array_elements(a.\"values\") WITH ORDINALITY v(e, n)))"
    "  ORDER BY a.position) FROM defect_attributes a"
    "  WHERE a.category_id = c.id), '[]'))"
    " FROM defect_categories c WHERE c.code = $1 AND c.active";

/* Newest first within the window; page by page (at most 1000 each). */
static const char SQL_REQUESTS[] =
    "SELECT open311_request(r, $1, $2)"
    " FROM defect_reports r"
    " WHERE r.created_at >= $3::timestamptz AND r.created_at < $4::timestamptz"
    "  AND defect_public(r)"
    "  AND ($5::text[] IS NULL OR r.category_id IN"
    "   (SELECT id FROM defect_categories WHERE code = ANY($5::text[])))"
    "  AND ($6::text[] IS NULL OR open311_status(r.status) = ANY($6::text[]))"
    " ORDER BY r.created_at DESC, r.id DESC"
    " LIMIT $7::int OFFSET $8::int";

/* service_request_id overrides every other filter (the spec). */
static const char SQL_REQUESTS_BY_ID[] =
    "SELECT open311_request(r, $1, $2)"
    " FROM defect_reports r"
    " WHERE r.id = ANY($3::bigint[]) AND defect_public(r)"
    " ORDER BY r.created_at DESC, r.id DESC";

static const char SQL_REQUEST[] =
    "SELECT json_build_array(open311_request(r, $1, $2))"
    " FROM defect_reports r WHERE r.id = $3::bigint AND defect_public(r)";

static const char SQL_TOKEN[] =
    "SELECT json_build_array(json_build_object("
    " 'service_request_id', r.id::text, 'token', r.open311_token))"
    " FROM defect_reports r WHERE r.open311_token = $1";

/* A key in use: looked up by its keyed hash, its last use recorded. */
static const char SQL_KEY[] =
    "UPDATE open311_keys SET last_used_at = now()"
    " WHERE key_hash = $1::bytea AND revoked_at IS NULL RETURNING id";

static const char SQL_SUBMIT[] =
    "SELECT r->>'retry_after', r->>'id', r->>'token' FROM"
    " defect_submit(NULL, NULL, 'open311', $1, $2::float8, $3::float8, $4,"
    " NULL, $5, open311_attributes($1, $6::jsonb), $7::bytea, $8::bytea,"
    " $9::bytea, $10::boolean, $11::bytea, $12::bytea, $13, $14::bigint,"
    " $15, NULL, NULL, NULL, NULL, NULL, NULL, $16::bytea, $17::text[],"
    " $18::int[], $19::int,"
    " $20) r";

static const char *const lang_args[] = { "@lang", NULL };
static const char *const definition_args[] = { "code", "@lang", NULL };
static const char *const requests_args[] = { "@lang", "base", "start",
    "end", "codes", "statuses", "limit", "offset", NULL };
static const char *const by_id_args[] = { "@lang", "base", "ids", NULL };
static const char *const request_args[] = { "@lang", "base", "request",
    NULL };
static const char *const token_args[] = { "token", NULL };
static const char *const key_args[] = { "key_hash", NULL };
static const char *const submit_args[] = { "service_code", "lat", "lon",
    "address", "description", "attributes", "email_lookup", "email_ct",
    "contact_ct", "notify", "nonce", "status_hash", "open311_token",
    "api_key_id", "media_url", "mail", "rate_keys", "rate_limits",
    "rate_window", "@lang", NULL };

static const struct db_constraint submit_constraints[] = {
	{ "defect_category", 400, "service_code", "is not a service of this "
	    "server (see services)", NULL },
	{ "defect_attribute", 400, "attribute", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static int	send_document(struct http_request *, PGresult *,
		    const struct db_op *);
static int	send_requests(struct http_request *, PGresult *,
		    const struct db_op *);

const struct db_op op_open311_services = {
	.name = "open311_services", .sql = SQL_SERVICES, .kind = DB_READ,
	.args = lang_args, .done = send_document, .extra = "services",
};
static const struct db_op op_definition = {
	.name = "open311_definition", .sql = SQL_DEFINITION, .kind = DB_READ,
	.args = definition_args, .done = send_document,
	.extra = "service_definition",
};
static const struct db_op op_requests = {
	.name = "open311_requests", .sql = SQL_REQUESTS, .kind = DB_READ,
	.args = requests_args, .done = send_requests, .replica = 1,
};
static const struct db_op op_requests_by_id = {
	.name = "open311_requests_by_id", .sql = SQL_REQUESTS_BY_ID,
	.kind = DB_READ, .args = by_id_args, .done = send_requests,
	.replica = 1,
};
static const struct db_op op_request = {
	.name = "open311_request", .sql = SQL_REQUEST, .kind = DB_READ,
	.args = request_args, .done = send_document,
	.extra = "service_requests",
};
static const struct db_op op_token = {
	.name = "open311_token", .sql = SQL_TOKEN, .kind = DB_READ,
	.args = token_args, .done = send_document,
	.extra = "service_requests",
};
static const struct db_op op_key = {
	.name = "open311_key", .sql = SQL_KEY, .kind = DB_WRITE,
	.args = key_args,
};
static const struct db_op op_submit = {
	.name = "open311_submit", .sql = SQL_SUBMIT, .kind = DB_WRITE,
	.args = submit_args, .constraints = submit_constraints,
};

static int
xml(struct http_request *req)
{
	return (rq_get(req)->open311 == 2);
}

/* A JSON document in the path's format; root names the XML element. */
static int
send_json_as(struct http_request *req, int status, const char *root,
    const char *json, size_t len)
{
	struct strbuf	out;
	cJSON		*doc;

	if (!xml(req))
		return (respond(req, status, JSON_TYPE, json, len));
	if ((doc = cJSON_ParseWithLength(json, len)) == NULL) {
		kore_log(LOG_ERR, "open311: %s: not JSON", root);
		return (respond_error(req, 500, NULL, NULL, NULL));
	}
	strbuf_init(&out, len + len / 2 + 64);
	open311_xml(&out, root, doc);
	cJSON_Delete(doc);
	respond(req, status, XML_TYPE, out.data, out.len);
	strbuf_free(&out);
	return (KORE_RESULT_OK);
}

/* One document, the query's only value; none is a 404. */
static int
send_document(struct http_request *req, PGresult *res, const struct db_op *op)
{
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0))
		return (respond_error(req, 404, NULL, NULL, NULL));
	return (send_json_as(req, 200, op->extra, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0)));
}

/*
 * A list of requests, one row each: joined into the array (JSON), or each
 * converted on its own (XML), so a 1000-row page never needs one parsed
 * tree of the whole.
 */
static int
send_requests(struct http_request *req, PGresult *res, const struct db_op *op)
{
	struct strbuf	out;
	cJSON		*item;
	int		i, n;

	(void)op;
	n = PQntuples(res);
	strbuf_init(&out, 1024 + (size_t)n * 640);
	strbuf_appends(&out, xml(req) ? OPEN311_XML_DECL "<service_requests>" :
	    "[");
	for (i = 0; i < n; i++) {
		if (!xml(req)) {
			strbuf_appendf(&out, "%s%s", i > 0 ? "," : "",
			    PQgetvalue(res, i, 0));
			continue;
		}
		item = cJSON_ParseWithLength(PQgetvalue(res, i, 0),
		    (size_t)PQgetlength(res, i, 0));
		open311_xml_element(&out, "request", item);
		cJSON_Delete(item);
	}
	strbuf_appends(&out, xml(req) ? "</service_requests>\n" : "]");
	respond(req, 200, xml(req) ? XML_TYPE : JSON_TYPE, out.data, out.len);
	strbuf_free(&out);
	return (KORE_RESULT_OK);
}

/*
 * A path segment with the format: "123.json" → var name = "123".  The
 * format itself was read from the path by the dispatcher (rq->open311).
 */
static int
stem_var(struct http_request *req, const char *param, const char *var,
    const char *allowed, size_t max)
{
	const char	*v, *dot;
	char		stem[80];
	size_t		len;

	v = params_get(&rq_get(req)->params, param);
	if (v == NULL || (dot = strrchr(v, '.')) == NULL ||
	    (strcmp(dot, ".json") != 0 && strcmp(dot, ".xml") != 0))
		return (MW_ERROR);
	len = (size_t)(dot - v);
	if (len == 0 || len > max || len >= sizeof(stem) ||
	    strspn(v, allowed) < len)
		return (MW_ERROR);
	memcpy(stem, v, len);
	stem[len] = '\0';
	rq_var_set(req, var, stem);
	return (MW_OK);
}

#define CODE_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789-"
#define TOKEN_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"abcdefghijklmnopqrstuvwxyz0123456789-_"

/* This server's one endpoint: production, both formats. */
static cJSON *
endpoint(void)
{
	cJSON	*e, *formats;
	char	url[CONFIG_PATH_MAX + 16];

	(void)snprintf(url, sizeof(url), "%s/open311/v2", mw_config.public_url);
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "specification",
	    "http://wiki.open311.org/GeoReport_v2");
	cJSON_AddStringToObject(e, "url", url);
	cJSON_AddStringToObject(e, "changeset", CHANGESET);
	cJSON_AddStringToObject(e, "type", "production");
	formats = cJSON_AddArrayToObject(e, "formats");
	cJSON_AddItemToArray(formats, cJSON_CreateString("text/xml"));
	cJSON_AddItemToArray(formats, cJSON_CreateString("application/json"));
	return (e);
}

/* GET /open311/v2/discovery.{json,xml} */
int
open311_discovery(struct http_request *req)
{
	cJSON	*doc;
	char	*json;
	int	r;

	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "changeset", CHANGESET);
	cJSON_AddStringToObject(doc, "contact", mw_config.public_url);
	cJSON_AddStringToObject(doc, "key_service", "API keys are issued by "
	    "the administrators of this server.");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "endpoints"),
	    endpoint());
	json = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	r = send_json_as(req, 200, "discovery", json, strlen(json));
	cJSON_free(json);
	return (r);
}

/* GET /open311/v2/services/{code}: the code with its format. */
int
open311_definition(struct http_request *req)
{
	if (!rq_get(req)->prepared) {
		rq_get(req)->prepared = 1;
		if (!stem_var(req, "code", "code", CODE_CHARS, 64))
			return (respond_not_found(req));
	}
	return (db_request(req, &op_definition));
}

/* GET /open311/v2/requests/{id} */
int
open311_request(struct http_request *req)
{
	if (!rq_get(req)->prepared) {
		rq_get(req)->prepared = 1;
		if (!stem_var(req, "id", "request", "0123456789", 15))
			return (respond_not_found(req));
		rq_var_set(req, "base", mw_config.public_url);
	}
	return (db_request(req, &op_request));
}

/* GET /open311/v2/tokens/{token} */
int
open311_token(struct http_request *req)
{
	if (!rq_get(req)->prepared) {
		rq_get(req)->prepared = 1;
		if (!stem_var(req, "token", "token", TOKEN_CHARS, 64))
			return (respond_not_found(req));
	}
	return (db_request(req, &op_token));
}

/* A comma-list filter as an array var; a field error when malformed. */
static void
list_var(struct http_request *req, const char *param, enum open311_list kind,
    const char *var, struct field_errors *fe)
{
	static const char *const why[] = { NULL, "must be service codes, "
	    "separated by commas", "must be request ids, separated by commas",
	    "must be open, closed or open,closed" };
	struct strbuf	list;
	const char	*v;

	if ((v = params_get(&rq_get(req)->params, param)) == NULL)
		return;
	strbuf_init(&list, 64);
	if (open311_parse_list(v, kind, &list))
		rq_var_set(req, var, list.data);
	else
		error_field_add(fe, param, why[kind]);
	strbuf_free(&list);
}

static int
time_param(struct http_request *req, const char *param, long long *t,
    struct field_errors *fe)
{
	const char	*v;

	if ((v = params_get(&rq_get(req)->params, param)) == NULL)
		return (0);
	if (open311_parse_time(v, t))
		return (1);
	error_field_add(fe, param, "must be an ISO 8601 date or time with a "
	    "zone, like 2026-05-24T00:00:00Z or 2026-05-24");
	return (-1);
}

/*
 * The window of requested_datetime: the spec's default is the last 90
 * days, and a range may not span more; one end given, the other is 90
 * days from it.
 */
static void
window_vars(struct http_request *req, struct field_errors *fe)
{
	const long long	span = WINDOW_DAYS * 86400LL;
	long long	start, end;
	char		buf[32];
	int		hs, he;

	hs = time_param(req, "start_date", &start, fe);
	he = time_param(req, "end_date", &end, fe);
	if (hs < 0 || he < 0)
		return;
	if (!hs && !he)
		end = (long long)time(NULL) + 1;
	if (!hs)
		start = end - span;
	if (!he)
		end = start + span;
	if (end < start) {
		error_field_add(fe, "end_date", "is before start_date");
		return;
	}
	if (end - start > span) {
		error_field_add(fe, "end_date", "the range may not span more "
		    "than 90 days");
		return;
	}
	open311_format_time(start, buf, sizeof(buf));
	rq_var_set(req, "start", buf);
	open311_format_time(end, buf, sizeof(buf));
	rq_var_set(req, "end", buf);
}

static void
page_vars(struct http_request *req)
{
	const char	*v;
	long		page, size;

	v = params_get(&rq_get(req)->params, "page_size");
	size = v != NULL ? strtol(v, NULL, 10) : atol(PAGE_SIZE);
	v = params_get(&rq_get(req)->params, "page");
	page = v != NULL ? strtol(v, NULL, 10) : 1;
	rq_var_setf(req, "limit", "%ld", size);
	rq_var_setf(req, "offset", "%ld", (page - 1) * size);
}

/* GET /open311/v2/requests.{json,xml} */
int
open311_requests(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	if (rq->prepared)
		return (db_request(req, params_get(&rq->vars, "ids") != NULL ?
		    &op_requests_by_id : &op_requests));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	rq_var_set(req, "base", mw_config.public_url);
	list_var(req, "service_request_id", O311_LIST_IDS, "ids", &fe);
	if (fe.count == 0 && params_get(&rq->vars, "ids") != NULL)
		return (db_request(req, &op_requests_by_id));
	list_var(req, "service_code", O311_LIST_CODES, "codes", &fe);
	list_var(req, "status", O311_LIST_STATUSES, "statuses", &fe);
	window_vars(req, &fe);
	page_vars(req);
	if (fe.count > 0)
		return (respond_fields(req, 400, &fe));
	return (db_request(req, &op_requests));
}

/*
 * first_name, last_name and phone, sealed together as the e-mail is
 * ("contact"): personal data nobody reads back through any interface.
 */
static void
contact_var(struct http_request *req, const struct open311_request *o)
{
	static const enum open311_field	f[] = { O311_FIRST_NAME,
	    O311_LAST_NAME, O311_PHONE };
	unsigned char			sealed[1024];
	cJSON				*c;
	char				*json;
	size_t				i, len;

	c = cJSON_CreateObject();
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (o->field[f[i]] != NULL)
			cJSON_AddStringToObject(c, open311_field_name(f[i]),
			    o->field[f[i]]);
	}
	if (cJSON_GetArraySize(c) > 0) {
		json = cJSON_PrintUnformatted(c);
		if (!secret_seal(mw_keys.email, "contact", json, strlen(json),
		    sealed, sizeof(sealed), &len))
			fatal("open311: contact too large");
		rq_var_bytea(req, "contact_ct", sealed, len);
		sodium_memzero(json, strlen(json));
		cJSON_free(json);
	}
	cJSON_Delete(c);
}

/* The report's vars from the parsed body; field errors into fe. */
static void
report_vars(struct http_request *req, const struct open311_request *o,
    struct field_errors *fe)
{
	char	*attrs;

	rq_var_set(req, "service_code", o->field[O311_SERVICE_CODE]);
	if (o->has_point && !validate_point(o->lat, o->lon, mw_config.bbox))
		error_field_add(fe, "lat", "the point lies outside the city");
	if (o->has_point) {
		rq_var_setf(req, "lat", "%.7f", o->lat);
		rq_var_setf(req, "lon", "%.7f", o->lon);
	}
	if (o->field[O311_ADDRESS] != NULL)
		rq_var_set(req, "address", o->field[O311_ADDRESS]);
	rq_var_set(req, "description", o->field[O311_DESCRIPTION] != NULL ?
	    o->field[O311_DESCRIPTION] : "");
	attrs = cJSON_PrintUnformatted(o->attributes);
	rq_var_set(req, "attributes", attrs);
	cJSON_free(attrs);
	if (o->field[O311_MEDIA_URL] != NULL)
		rq_var_set(req, "media_url", o->field[O311_MEDIA_URL]);
	contact_var(req, o);
	defects_new_token(req);
	rq_var_set(req, "notify", o->field[O311_EMAIL] != NULL ? "t" : "f");
	if (o->field[O311_EMAIL] != NULL)
		(void)defects_email_vars(req, o->field[O311_EMAIL], fe);
}

/*
 * Parses the body and checks the key's form; MW_ERROR after an answer.
 * No key, or one that cannot be ours: 403 before anything else, as the
 * spec has it.
 */
static int
submit_prepare(struct http_request *req)
{
	struct open311_request	o;
	struct field_errors	fe;
	unsigned char		hash[TOKEN_HASH_LEN];
	const char		*key;
	int			ok;

	memset(&fe, 0, sizeof(fe));
	ok = open311_parse_request(req->http_body != NULL ?
	    (const char *)req->http_body->data : "",
	    req->http_body != NULL ? req->http_body_length : 0, &o, &fe);
	if ((key = o.field[O311_API_KEY]) == NULL)
		key = params_get(&rq_get(req)->params, "api_key");
	if (key == NULL || !token_valid(key)) {
		open311_request_free(&o);
		respond_error(req, 403, NULL, key == NULL ? "api_key is "
		    "required" : "api_key is not valid", NULL);
		return (MW_ERROR);
	}
	token_hash(&mw_keys, key, hash);
	rq_var_bytea(req, "key_hash", hash, sizeof(hash));
	if (ok)
		report_vars(req, &o, &fe);
	open311_request_free(&o);
	if (fe.count > 0) {
		respond_fields(req, 400, &fe);
		return (MW_ERROR);
	}
	return (MW_OK);
}

/* The key's id: the rate-limit key and the report's api_key_id. */
static void
key_vars(struct http_request *req, const char *id)
{
	rq_var_put(req, "api_key_id", id);
	if (params_get(&rq_get(req)->vars, "rate_keys") != NULL)
		return;
	rq_var_setf(req, "rate_keys", "{\"k:%s\"}", id);
	rq_var_setf(req, "rate_limits", "{%d}",
	    mw_config.submit_limit_ip * KEY_LIMIT_FACTOR);
	rq_var_setf(req, "rate_window", "%d", mw_config.submit_window);
}

/* [{"service_request_id", "token", "service_notice"}] */
static int
created(struct http_request *req, PGresult *res)
{
	cJSON	*doc, *r;
	char	*json;
	int	rc;

	doc = cJSON_CreateArray();
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "service_request_id", PQgetvalue(res, 0, 1));
	cJSON_AddStringToObject(r, "token", PQgetvalue(res, 0, 2));
	cJSON_AddStringToObject(r, "service_notice",
	    rq_get(req)->lang == LANG_EN ? "Thank you. The responsible "
	    "department will look into it; the description becomes public "
	    "once a moderator has checked it." : "Vielen Dank. Der "
	    "zuständige Fachbereich kümmert sich darum; die Beschreibung wird "
	    "öffentlich, sobald die Moderation sie geprüft hat.");
	cJSON_AddItemToArray(doc, r);
	json = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	rc = send_json_as(req, 200, "service_requests", json, strlen(json));
	cJSON_free(json);
	return (rc);
}

/* POST /open311/v2/requests.{json,xml} */
int
open311_request_create(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!submit_prepare(req))
			return (KORE_RESULT_OK);
	}
	if ((s = db_step(req, &op_key, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) == 0)
		return (respond_error(req, 403, NULL, "api_key is unknown or "
		    "revoked", NULL));
	key_vars(req, PQgetvalue(res, 0, 0));
	if ((s = db_step(req, &op_submit, &res)) != DB_DONE)
		return (db_yield(s));
	if (!PQgetisnull(res, 0, 0))
		return (submission_limited(req, PQgetvalue(res, 0, 0)));
	return (created(req, res));
}
