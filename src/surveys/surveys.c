/*
 * Surveys: the JSON API.  Definitions are parsed and validated here
 * (survey_parse), responses checked against them (answers_check) and
 * turned into tally keys (results_tallies); the writes are the functions
 * in sql/functions/survey_*.sql, one statement each, which also check
 * status, time window, access mode and version under a lock.
 *
 * Respondents: a per-survey pseudonym (survey_respondent) of the account
 * ('a'), the access code ('c'), a browser token in a cookie ('b', "open"
 * surveys) or a random token for a paper form without consent ('p').
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "surveys.h"

/* Access codes: 10 characters without look-alikes (0/O, 1/I): 50 bits. */
#define CODE_LEN	10
#define CODE_ALPHABET	"ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#define CODES_MAX	1000
#define BROWSER_COOKIE	"mw_survey"
#define BROWSER_COOKIE_TLS "__Host-mw_survey"
#define BROWSER_MAX_AGE	(86400 * 365)
#define TITLE_MAX	300
#define CSV_TYPE	"text/csv; charset=utf-8"

const char *const surveys_statuses[] = { "draft", "open", "closed", NULL };
static const char *const accesses[] = { "account", "codes", "open", NULL };
static const char *const channels[] = { "online", "paper", "phone",
    "in_person", NULL };

static const char SQL_LIST[] =
    "SELECT json_build_object('surveys', coalesce(json_agg("
    " survey_json(s.id, $3, $1::boolean, false) ORDER BY s.id DESC)"
    "  FILTER (WHERE s.rn <= s.lim), '[]'::json),"
    " 'next', CASE WHEN max(s.rn) > min(s.lim) THEN"
    "  min(s.id) FILTER (WHERE s.rn <= s.lim) END)"
    " FROM (SELECT s.id, coalesce($5::int, 50) AS lim,"
    "  row_number() OVER (ORDER BY s.id DESC) AS rn FROM surveys s"
    "  WHERE ($1::boolean OR s.status <> 'draft')"
    "  AND ($2::text IS NULL OR s.status = $2)"
    "  AND ($4::bigint IS NULL OR s.id < $4::bigint)"
    "  ORDER BY s.id DESC LIMIT coalesce($5::int, 50) + 1) s";

static const char SQL_SURVEY[] =
    "SELECT survey_json($1::bigint, $3, $2::boolean, true)";

static const char SQL_LOAD[] =
    "SELECT s.definition::text, s.version, s.access, s.status,"
    " s.crosstab_a, s.crosstab_b, s.results_public,"
    " EXISTS (SELECT 1 FROM survey_responses r WHERE r.survey_id = s.id)"
    " FROM surveys s WHERE s.id = $1::bigint"
    " AND ($2::boolean OR s.status <> 'draft')";

#define SURVEY_SETTINGS \
    " $4, $5::boolean, $6::timestamptz, $7::timestamptz, $8, $9," \
    " $10::text[], $11::text[], $12::text[], $13"

static const char SQL_CREATE[] =
    "SELECT survey_create($1::bigint, $2, $3::jsonb," SURVEY_SETTINGS ")";

static const char SQL_UPDATE[] =
    "SELECT survey_update($14::bigint, $1::bigint, $15::int, $16::int,"
    " $17::boolean, $2, $3::jsonb," SURVEY_SETTINGS ")";

static const char SQL_COPY[] =
    "SELECT survey_copy($1::bigint, $2::bigint, $3)";

static const char SQL_STATUS[] =
    "SELECT survey_set_status($1::bigint, $2::bigint, $3, $4)";

static const char SQL_CONSENT_PEEK[] =
    "SELECT c.account_id FROM consent_codes c"
    " JOIN accounts a ON a.id = c.account_id"
    " WHERE c.code = upper($1) AND c.used_at IS NULL"
    " AND c.expires_at > now() AND a.deleted_at IS NULL";

static const char SQL_SUBMIT[] =
    "SELECT survey_submit($1::bigint, $2::int, $3::bytea, $4, $5::bytea,"
    " $6::bigint, $7, $8::bigint, $9, $10, $11::jsonb, $12::jsonb)";

/* Counted before the insert, so a refused browser adds nothing else. */
static const char SQL_OPEN_RATE[] =
    "SELECT submission_allowed($1::text[], $2::int[], $3::int)";

static const char SQL_DRAFT[] =
    "SELECT json_build_object('answers', d.answers, 'page', d.page,"
    " 'updated_at', d.updated_at) FROM survey_drafts d"
    " JOIN surveys s ON s.id = d.survey_id"
    " WHERE d.survey_id = $1::bigint AND d.respondent = $2::bytea"
    " AND s.status <> 'draft'";

static const char SQL_DRAFT_PUT[] =
    "SELECT survey_draft_save($1::bigint, $2::bytea, $3::jsonb, $4::int)";

static const char SQL_DRAFT_DELETE[] =
    "DELETE FROM survey_drafts WHERE survey_id = $1::bigint"
    " AND respondent = $2::bytea RETURNING 1";

static const char SQL_CODES[] =
    "SELECT survey_codes_add($1::bigint, $2::bigint, ARRAY(SELECT"
    " decode(x, 'hex') FROM unnest(string_to_array($3, ',')) x))";

static const char SQL_CODE_CHECK[] =
    "SELECT 1 FROM survey_codes WHERE survey_id = $1::bigint"
    " AND code_hash = $2::bytea AND used_at IS NULL";

static const char SQL_RESULTS[] =
    "SELECT kind, question, item, value, n"
    " FROM survey_tally_rows($1::bigint, $2, $3)";

static const char *const list_args[] = { "planner", "status", "@lang",
    "after", "limit", NULL };
static const char *const survey_args[] = { "id", "planner", "@lang", NULL };
static const char *const load_args[] = { "id", "planner", NULL };
static const char *const create_args[] = { "me", "title", "definition",
    "access", "results_public", "opens_at", "closes_at", "crosstab_a",
    "crosstab_b", "fields", "districts", "goals", "@lang", NULL };
static const char *const save_args[] = { "me", "title", "definition",
    "access", "results_public", "opens_at", "closes_at", "crosstab_a",
    "crosstab_b", "fields", "districts", "goals", "@lang", "id", "version",
    "checked", "had_responses", NULL };
static const char *const copy_args[] = { "id", "me", "@lang", NULL };
static const char *const status_args[] = { "id", "me", "status", "@lang",
    NULL };
/*
 * A response's vars carry the prefix r_: a page that runs
 * api_survey_respond has set vars of its own (its draft's "answers",
 * "respondent", an access code's "code_hash").
 */
static const char *const consent_args[] = { "r_citizen_code", NULL };
static const char *const submit_args[] = { "id", "r_version",
    "r_respondent", "r_kind", "r_code_hash", "r_account", "r_citizen_code",
    "r_staff", "r_channel", "r_district", "r_answers", "r_keys", NULL };
static const char *const open_rate_args[] = { "r_rate_keys",
    "r_rate_limits", "r_rate_window", NULL };
static const char *const code_check_args[] = { "id", "code_hash", NULL };
static const char *const draft_args[] = { "id", "respondent", NULL };
static const char *const draft_put_args[] = { "id", "respondent", "answers",
    "page", NULL };
static const char *const codes_args[] = { "id", "me", "hashes", NULL };
static const char *const results_args[] = { "id", "channel", "district",
    NULL };

static const struct db_constraint save_constraints[] = {
	{ "survey_missing", 404, "id", "no survey with this id", NULL },
	{ "survey_fields", 422, "fields", "contains an unknown field of "
	    "action", NULL },
	{ "survey_districts", 422, "districts", "contains an unknown district",
	    NULL },
	{ "survey_goals", 422, "goals", "contains an unknown strategic goal",
	    NULL },
	{ "survey_window", 422, "closes_at", "must be after opens_at", NULL },
	{ "survey_crosstab_frozen", 409, "crosstab", "is fixed once the survey "
	    "has responses (they were counted for this pair): copy the survey "
	    "for another", "frozen" },
	{ "survey_version", 409, "version", "the survey was changed "
	    "meanwhile: load it again", "version_conflict" },
	{ "survey_changed", 409, "definition", "the survey or its responses "
	    "changed meanwhile: send again", "conflict" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint status_constraints[] = {
	{ "survey_missing", 404, "id", "no survey with this id", NULL },
	{ "survey_transition", 409, "status", "surveys go from draft to open "
	    "to closed only", "illegal_transition" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint submit_constraints[] = {
	{ "survey_missing", 404, "id", "no survey with this id", NULL },
	{ "survey_not_open", 409, "survey", "the survey does not accept "
	    "responses now", "survey_not_open" },
	{ "survey_changed", 409, "survey", "the survey changed meanwhile: "
	    "send again", "conflict" },
	{ "survey_access", 403, "survey", "this survey does not take "
	    "responses of this kind", "forbidden" },
	{ "survey_response_once", 409, "survey", "there is a response of "
	    "this respondent already", "already_responded" },
	{ "survey_code", 422, "access_code", "is not an access code of this "
	    "survey", NULL },
	{ "survey_district", 422, "district", "is not a known district", NULL },
	{ "consent_code", 422, "citizen_code", "is unknown, expired or already "
	    "used: ask the citizen for a new one", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint draft_constraints[] = {
	{ "survey_missing", 404, "id", "no survey with this id", NULL },
	{ "survey_not_open", 409, "survey", "the survey does not accept "
	    "responses now", "survey_not_open" },
	{ "survey_response_once", 409, "survey", "there is a response of "
	    "this respondent already", "already_responded" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint codes_constraints[] = {
	{ "survey_missing", 404, "id", "no survey with this id", NULL },
	{ "survey_access_codes", 409, "access", "only surveys with access "
	    "\"codes\" take access codes", "conflict" },
	{ NULL, 0, NULL, NULL, NULL }
};

static int	send_created(struct http_request *, PGresult *,
		    const struct db_op *);
static void	var_json(struct http_request *, const char *,
		    const cJSON *);

const struct db_op op_surveys_list = {
	.name = "surveys", .sql = SQL_LIST, .kind = DB_READ,
	.args = list_args, .done = db_send_json,
};
const struct db_op op_survey = {
	.name = "survey", .sql = SQL_SURVEY, .kind = DB_READ,
	.args = survey_args, .done = db_send_json,
};
const struct db_op op_survey_load = {
	.name = "survey_load", .sql = SQL_LOAD, .kind = DB_READ,
	.args = load_args,
};
static const struct db_op op_create = {
	.name = "survey_create", .sql = SQL_CREATE, .kind = DB_WRITE,
	.args = create_args, .constraints = save_constraints,
	.done = send_created,
};
static const struct db_op op_update = {
	.name = "survey_update", .sql = SQL_UPDATE, .kind = DB_WRITE,
	.args = save_args, .constraints = save_constraints,
	.done = db_send_json,
};
static const struct db_op op_copy = {
	.name = "survey_copy", .sql = SQL_COPY, .kind = DB_WRITE,
	.args = copy_args, .constraints = save_constraints,
	.done = send_created,
};
static const struct db_op op_status = {
	.name = "survey_status", .sql = SQL_STATUS, .kind = DB_WRITE,
	.args = status_args, .constraints = status_constraints,
	.done = db_send_json,
};
static const struct db_op op_consent_peek = {
	.name = "survey_consent_peek", .sql = SQL_CONSENT_PEEK,
	.kind = DB_READ, .args = consent_args,
};
static const struct db_op op_open_rate = {
	.name = "survey_open_rate", .sql = SQL_OPEN_RATE, .kind = DB_WRITE,
	.args = open_rate_args, .counts_only = 1,
};
static const struct db_op op_submit = {
	.name = "survey_submit", .sql = SQL_SUBMIT, .kind = DB_WRITE,
	.args = submit_args, .constraints = submit_constraints,
};
const struct db_op op_survey_draft = {
	.name = "survey_draft", .sql = SQL_DRAFT, .kind = DB_READ,
	.args = draft_args, .done = db_send_json,
};
const struct db_op op_survey_draft_put = {
	.name = "survey_draft_put", .sql = SQL_DRAFT_PUT, .kind = DB_WRITE,
	.args = draft_put_args, .constraints = draft_constraints,
	.done = db_send_json,
};
static const struct db_op op_draft_delete = {
	.name = "survey_draft_delete", .sql = SQL_DRAFT_DELETE,
	.kind = DB_WRITE, .args = draft_args,
};
static const struct db_op op_codes = {
	.name = "survey_codes", .sql = SQL_CODES, .kind = DB_WRITE,
	.args = codes_args, .constraints = codes_constraints,
};
const struct db_op op_survey_code_check = {
	.name = "survey_code_check", .sql = SQL_CODE_CHECK, .kind = DB_READ,
	.args = code_check_args,
};
static const struct db_op op_results = {
	.name = "survey_results", .sql = SQL_RESULTS, .kind = DB_READ,
	.args = results_args, .replica = 1,
};

/* The columns of op_survey_load. */
enum {
	L_DEFINITION, L_VERSION, L_ACCESS, L_STATUS, L_CROSSTAB_A,
	L_CROSSTAB_B, L_PUBLIC, L_HAS_RESPONSES
};

static int
planner(struct http_request *req)
{
	return ((rq_get(req)->who.roles & ROLE_PLANNER) != 0);
}

/* Whether the caller sees drafts and unsuppressed results. */
void
surveys_viewer_vars(struct http_request *req)
{
	rq_var_put(req, "planner", planner(req) ? "t" : "f");
}

static int64_t
survey_id(struct http_request *req)
{
	const char	*v;

	v = params_get(&rq_get(req)->params, "id");
	return (v != NULL ? strtoll(v, NULL, 10) : 0);
}

/*
 * 422 (or 409) listing every problem with its JSON Pointer into the
 * request body: the uniform error, its "fields" keyed by pointer, and
 * "problems" in order (one pointer may have several).
 */
static int
respond_problems(struct http_request *req, int status, const char *code,
    const char *message, const char *prefix,
    const struct survey_problems *p)
{
	struct field_errors	fe;
	cJSON			*root, *err, *fields, *list, *item;
	char			path[sizeof(p->items[0].path) + 32], *body;
	int			i;

	/*
	 * A form page shows answers' problems next to their questions
	 * ("mode", "grid/r1"); a definition's under "definition" with the
	 * whole list in the var "problems" (more than field_errors holds).
	 */
	if (rq_get(req)->form_page != NULL &&
	    strcmp(prefix, "/answers") == 0) {
		memset(&fe, 0, sizeof(fe));
		for (i = 0; i < p->count; i++)
			error_field_add(&fe, p->items[i].path[0] == '/' ?
			    p->items[i].path + 1 : p->items[i].path,
			    p->items[i].reason);
		return (form_show(req, status, &fe, NULL));
	}
	root = cJSON_CreateObject();
	err = cJSON_AddObjectToObject(root, "error");
	cJSON_AddStringToObject(err, "code", code);
	cJSON_AddStringToObject(err, "message", message);
	fields = cJSON_AddObjectToObject(err, "fields");
	list = cJSON_AddArrayToObject(err, "problems");
	for (i = 0; i < p->count; i++) {
		(void)snprintf(path, sizeof(path), "%s%s", prefix,
		    p->items[i].path);
		if (cJSON_GetObjectItemCaseSensitive(fields, path) == NULL)
			cJSON_AddStringToObject(fields, path,
			    p->items[i].reason);
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "path", p->items[i].path);
		cJSON_AddStringToObject(item, "reason", p->items[i].reason);
		cJSON_AddItemToArray(list, item);
	}
	if (p->more > 0)
		cJSON_AddNumberToObject(err, "more_problems", p->more);
	if (rq_get(req)->form_page != NULL) {
		var_json(req, "problems", err);
		cJSON_Delete(root);
		memset(&fe, 0, sizeof(fe));
		error_field_add(&fe, "definition", code);
		return (form_show(req, status, &fe, NULL));
	}
	/* The API's pointers are into the body: "/definition/pages/0". */
	cJSON_ArrayForEach(item, list) {
		(void)snprintf(path, sizeof(path), "%s%s", prefix,
		    json_str(item, "path"));
		cJSON_ReplaceItemInObjectCaseSensitive(item, "path",
		    cJSON_CreateString(path));
	}
	cJSON_AddStringToObject(err, "request_id", rq_get(req)->id);
	body = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	respond(req, status, JSON_TYPE, body, strlen(body));
	cJSON_free(body);
	return (KORE_RESULT_OK);
}

/* One line of 1 to max characters, nothing to trim. */
static int
text_ok(const char *s, size_t max)
{
	size_t	start, len;

	return (validate_text(s, 1, max, 0, &start, &len) == NULL &&
	    start == 0 && len == strlen(s));
}

static int
respond_field(struct http_request *req, int status, const char *field,
    const char *reason)
{
	struct field_errors	fe;

	memset(&fe, 0, sizeof(fe));
	error_field_add(&fe, field, reason);
	return (respond_fields(req, status, &fe));
}

/* A stored definition; NULL (after a 500) if it no longer parses. */
static struct survey_def *
stored_def(struct http_request *req, PGresult *res)
{
	struct survey_problems	p;
	struct survey_def	*def;
	cJSON			*doc;

	memset(&p, 0, sizeof(p));
	doc = cJSON_ParseWithLength(PQgetvalue(res, 0, L_DEFINITION),
	    (size_t)PQgetlength(res, 0, L_DEFINITION));
	def = doc != NULL ? survey_parse(doc, &p) : NULL;
	cJSON_Delete(doc);
	if (def == NULL) {
		kore_log(LOG_ERR, "bug id=%s: stored survey %lld does not "
		    "parse", rq_get(req)->id, (long long)survey_id(req));
		respond_error(req, 500, NULL, NULL, NULL);
	}
	return (def);
}

static void
var_hex(struct http_request *req, const char *name, const unsigned char *b,
    size_t len)
{
	char	hex[SURVEY_RESPONDENT_LEN * 2 + 3];

	bytea_hex(b, len, hex, sizeof(hex));
	rq_var_set(req, name, hex);
}

static void
var_json(struct http_request *req, const char *name, const cJSON *v)
{
	char	*s;

	s = cJSON_PrintUnformatted(v);
	rq_var_set(req, name, s);
	cJSON_free(s);
}

/* The caller's own pseudonym for this survey (signed in). */
void
surveys_account_respondent(struct http_request *req, const char *var)
{
	unsigned char	mac[SURVEY_RESPONDENT_LEN];
	char		who[24];

	(void)snprintf(who, sizeof(who), "%lld",
	    (long long)rq_get(req)->who.account_id);
	survey_respondent(&mw_keys, survey_id(req), 'a', who, mac);
	var_hex(req, var, mac, sizeof(mac));
}

/* ------------------------------------------------------------ reading */

/* GET /api/v1/surveys */
int
api_surveys(struct http_request *req)
{
	surveys_viewer_vars(req);
	return (db_request(req, &op_surveys_list));
}

/* GET /api/v1/surveys/{id} */
int
api_survey(struct http_request *req)
{
	surveys_viewer_vars(req);
	return (db_request(req, &op_survey));
}

/* ------------------------------------------------------------ saving */

/*
 * A form (the planners' pages) sends the same: the definition as JSON
 * text, results_public as a checkbox ("on"), the cross-tabulation as
 * "crosstab-a" and "crosstab-b", the lists as one checkbox each
 * ("field-<slug>", "district-<slug>", "goal-<slug>").
 */
static const struct input_field survey_input[] = {
	{ "definition", IN_MAP, NULL },
	{ "title", IN_TEXT, NULL },
	{ "access", IN_TEXT, NULL },
	{ "results_public", IN_BOOL, NULL },
	{ "opens_at", IN_TEXT, NULL },
	{ "closes_at", IN_TEXT, NULL },
	{ "crosstab", IN_MAP, "crosstab-" },
	{ "fields", IN_LIST, "field-" },
	{ "districts", IN_LIST, "district-" },
	{ "goals", IN_LIST, "goal-" },
	{ "version", IN_INT, NULL },
	{ NULL, 0, NULL }
};

/* RFC 3339 with a zone: 2027-03-01T08:00:00Z, ...+01:00. */
static int
timestamp_ok(const char *s)
{
	static const char	shape[] = "dddd-dd-ddTdd:dd";
	size_t			i;

	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != shape[i])
			return (0);
	}
	s += i;
	if (s[0] == ':' && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]))
		s += 3;
	if (*s == '.') {
		for (s++, i = 0; isdigit((unsigned char)*s) && i < 9; s++)
			i++;
		if (i == 0)
			return (0);
	}
	if (strcmp(s, "Z") == 0)
		return (1);
	return ((s[0] == '+' || s[0] == '-') && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]) && s[3] == ':' &&
	    isdigit((unsigned char)s[4]) && isdigit((unsigned char)s[5]) &&
	    s[6] == '\0');
}

static int
choice_type(enum survey_qtype t)
{
	return (t == SQ_RADIOGROUP || t == SQ_DROPDOWN || t == SQ_CHECKBOX ||
	    t == SQ_RATING);
}

/* A form's cross-tabulation: both names, or neither. */
static void
crosstab_form(struct http_request *req, const char **a, const char **b,
    struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	int		i;

	*a = params_get(&rq->form, "crosstab-a");
	*b = params_get(&rq->form, "crosstab-b");
	for (i = 0; i < rq->form.count; i++) {
		if (strncmp(rq->form.items[i].name, "crosstab-", 9) == 0 &&
		    strcmp(rq->form.items[i].name, "crosstab-a") != 0 &&
		    strcmp(rq->form.items[i].name, "crosstab-b") != 0)
			error_field_add(fe, rq->form.items[i].name,
			    "unknown field");
	}
	if (*a != NULL && **a == '\0')
		*a = NULL;
	if (*b != NULL && **b == '\0')
		*b = NULL;
	if ((*a == NULL) != (*b == NULL)) {
		error_field_add(fe, "crosstab", "must name two different "
		    "choice or rating questions of the definition");
		*a = *b = NULL;
	}
}

static void
crosstab_vars(struct http_request *req, const struct survey_def *def,
    struct field_errors *fe)
{
	const cJSON	*c, *ja, *jb;
	const char	*a, *b;
	int		ia, ib;

	if (rq_get(req)->body == NULL) {
		crosstab_form(req, &a, &b, fe);
		if (a == NULL)
			return;
	} else {
		c = cJSON_GetObjectItemCaseSensitive(rq_get(req)->body,
		    "crosstab");
		if (c == NULL || cJSON_IsNull(c))
			return;
		ja = cJSON_GetObjectItemCaseSensitive(c, "a");
		jb = cJSON_GetObjectItemCaseSensitive(c, "b");
		if (cJSON_GetArraySize(c) != 2 || !cJSON_IsString(ja) ||
		    !cJSON_IsString(jb)) {
			error_field_add(fe, "crosstab", "must be {\"a\": "
			    "question, \"b\": question}");
			return;
		}
		a = ja->valuestring;
		b = jb->valuestring;
	}
	if (def == NULL)
		return;
	ia = survey_find(def, a);
	ib = survey_find(def, b);
	if (ia < 0 || ib < 0 || ia == ib ||
	    !choice_type(def->questions[ia].type) ||
	    !choice_type(def->questions[ib].type)) {
		error_field_add(fe, "crosstab", "must name two different "
		    "choice or rating questions of the definition");
		return;
	}
	rq_var_set(req, "crosstab_a", a);
	rq_var_set(req, "crosstab_b", b);
}

/*
 * The definition to check: the body's member, or a form's JSON text
 * parsed as strictly as a body.  NULL after an answer; *owned when the
 * caller frees it.
 */
static const cJSON *
definition_in(struct http_request *req, cJSON **owned)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*d;
	cJSON		*why, *item;
	const char	*text;
	char		err[160];

	*owned = NULL;
	if (rq->body != NULL) {
		d = cJSON_GetObjectItemCaseSensitive(rq->body,
		    "definition");
		if (d == NULL || cJSON_IsNull(d)) {
			respond_field(req, 422, "definition", "required");
			return (NULL);
		}
		return (d);
	}
	text = input_text(req, "definition");
	if (text == NULL) {
		respond_field(req, 422, "definition", "required");
		return (NULL);
	}
	if ((*owned = json_parse_body(text, strlen(text), err,
	    sizeof(err))) == NULL) {
		/* Listed like a definition's problems: the parser's. */
		why = cJSON_CreateObject();
		cJSON_AddStringToObject(why, "code", "not_json");
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "path", "");
		cJSON_AddStringToObject(item, "reason", err);
		cJSON_AddItemToArray(cJSON_AddArrayToObject(why,
		    "problems"), item);
		var_json(req, "problems", why);
		cJSON_Delete(why);
		respond_field(req, 422, "definition", "not_json");
		return (NULL);
	}
	return (*owned);
}

/*
 * Checks a survey's body (create and update) and sets its vars; the
 * parsed definition in *out.  MW_ERROR after an answer.
 */
static int
survey_prepare(struct http_request *req, struct survey_def **out)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	struct survey_problems	p;
	struct survey_def	*def;
	const cJSON		*d;
	cJSON			*owned;
	const char		*v, *title;
	long long		version;
	size_t			len;

	*out = NULL;
	memset(&fe, 0, sizeof(fe));
	memset(&p, 0, sizeof(p));
	if (!input_fields(req, survey_input, &fe))
		return (respond_fields(req, 422, &fe), MW_ERROR);
	if ((d = definition_in(req, &owned)) == NULL)
		return (MW_ERROR);
	if ((def = survey_parse(d, &p)) == NULL || p.count > 0) {
		survey_free(def);
		cJSON_Delete(owned);
		return (respond_problems(req, 422, "validation_failed",
		    "The survey definition has problems.", "/definition", &p),
		    MW_ERROR);
	}
	var_json(req, "definition", d);
	cJSON_Delete(owned);
	title = input_text(req, "title");
	if (title == NULL || *title == '\0')
		title = def->title.de;
	len = title != NULL ? strlen(title) : 0;
	if (len == 0)
		error_field_add(&fe, "title", "required: give one here or as "
		    "the definition's title");
	else if (!text_ok(title, TITLE_MAX))
		error_field_add(&fe, "title", "must be 1 to 300 characters "
		    "on one line");
	else
		rq_var_set(req, "title", title);
	if ((v = input_text(req, "access")) != NULL) {
		if (!input_one_of(v, accesses))
			error_field_add(&fe, "access", "must be account, "
			    "codes or open");
		else
			rq_var_set(req, "access", v);
	}
	if (cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(rq->body,
	    "results_public")))
		rq_var_set(req, "results_public",
		    json_true(rq->body, "results_public") ? "t" : "f");
	else if (rq->body == NULL && (v = input_text(req,
	    "results_public")) != NULL) {
		if (strcmp(v, "on") != 0)
			error_field_add(&fe, "results_public",
			    "must be true or false");
		else
			rq_var_set(req, "results_public", "t");
	}
	if ((v = input_text(req, "opens_at")) != NULL) {
		if (!timestamp_ok(v))
			error_field_add(&fe, "opens_at", "must be a date and "
			    "time with zone (RFC 3339)");
		else
			rq_var_set(req, "opens_at", v);
	}
	if ((v = input_text(req, "closes_at")) != NULL) {
		if (!timestamp_ok(v))
			error_field_add(&fe, "closes_at", "must be a date and "
			    "time with zone (RFC 3339)");
		else
			rq_var_set(req, "closes_at", v);
	}
	crosstab_vars(req, def, &fe);
	(void)input_slugs(req, &survey_input[7], 10, &fe);
	(void)input_slugs(req, &survey_input[8], 50, &fe);
	(void)input_slugs(req, &survey_input[9], 50, &fe);
	if (input_id(req, "version", &version, &fe) == 1)
		rq_var_setf(req, "version", "%lld", version);
	if (fe.count > 0) {
		survey_free(def);
		return (respond_fields(req, 422, &fe), MW_ERROR);
	}
	*out = def;
	return (MW_OK);
}

static int
send_created(struct http_request *req, PGresult *res, const struct db_op *op)
{
	cJSON		*doc;
	const cJSON	*id;
	const char	*to;
	char		location[64];

	(void)op;
	if ((doc = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	id = cJSON_GetObjectItemCaseSensitive(doc, "id");
	(void)snprintf(location, sizeof(location), "/api/v1/surveys/%.0f",
	    cJSON_IsNumber(id) ? id->valuedouble : 0.0);
	/* A page goes on to the new survey's page (its path before the id). */
	if (rq_get(req)->form_page != NULL &&
	    (to = params_get(&rq_get(req)->vars, "created_page")) != NULL)
		rq_var_setf(req, "redirect", "%s%.0f?lang=%s", to,
		    cJSON_IsNumber(id) ? id->valuedouble : 0.0,
		    lang_code(rq_get(req)->lang));
	cJSON_Delete(doc);
	if (rq_get(req)->form_page != NULL)
		return (form_done(req));
	http_response_header(req, "location", location);
	return (respond(req, 201, JSON_TYPE, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0)));
}

/* POST /api/v1/surveys */
int
api_survey_create(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct survey_def	*def;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!survey_prepare(req, &def))
			return (KORE_RESULT_OK);
		survey_free(def);
	}
	return (db_request(req, &op_create));
}

/* The version a client expects: If-Match: "3" (or the body's version). */
static int
if_match(struct http_request *req)
{
	const char	*h;
	char		*end;
	long		v;

	if (!http_request_header(req, "if-match", &h))
		return (MW_OK);
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	if (*h == '"')
		h++;
	v = strtol(h, &end, 10);
	if (end == h || v < 1 || v > 1000000000 || (*end != '"' &&
	    *end != '\0')) {
		respond_field(req, 422, "If-Match", "must be the survey's "
		    "version in quotes, as its ETag");
		return (MW_ERROR);
	}
	if (params_get(&rq_get(req)->vars, "version") == NULL)
		rq_var_setf(req, "version", "%ld", v);
	return (MW_OK);
}

/*
 * PUT /api/v1/surveys/{id}: replaces definition and settings (absent
 * settings take their defaults).  Once responses exist, question names
 * and choice values are frozen (survey_compatible): 409 with the problems.
 */
int
api_survey_update(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct survey_def	*def, *old;
	struct survey_problems	p;
	PGresult		*res;
	enum db_status		s;
	cJSON			*doc;
	int			ok;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!survey_prepare(req, &def))
			return (KORE_RESULT_OK);
		survey_free(def);
		if (!if_match(req))
			return (KORE_RESULT_OK);
		surveys_viewer_vars(req);
	}
	if ((s = db_step(req, &op_survey_load, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) == 0)
		return (respond_error(req, 404, NULL, NULL, NULL));
	if (params_get(&rq->vars, "checked") == NULL) {
		rq_var_set(req, "checked", PQgetvalue(res, 0, L_VERSION));
		rq_var_set(req, "had_responses",
		    PQgetvalue(res, 0, L_HAS_RESPONSES));
		if (PQgetvalue(res, 0, L_HAS_RESPONSES)[0] == 't') {
			memset(&p, 0, sizeof(p));
			if ((old = stored_def(req, res)) == NULL)
				return (KORE_RESULT_OK);
			/* As checked, from a body or a form alike. */
			doc = cJSON_Parse(params_get(&rq->vars,
			    "definition"));
			def = survey_parse(doc, &p);
			ok = def != NULL &&
			    survey_compatible(old, def, &p) && p.count == 0;
			cJSON_Delete(doc);
			survey_free(old);
			survey_free(def);
			if (!ok)
				return (respond_problems(req, 409, "frozen",
				    "Responses exist: question names and choice "
				    "values can no longer change.", "/definition",
				    &p));
		}
	}
	return (db_request(req, &op_update));
}

/* POST /api/v1/surveys/{id}/copy */
int
api_survey_copy(struct http_request *req)
{
	return (db_request(req, &op_copy));
}

/* POST /api/v1/surveys/{id}/open: only a survey that can be answered. */
int
api_survey_open(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct survey_def	*def;
	PGresult		*res;
	enum db_status		s;
	int			n;

	if (!rq->prepared) {
		rq->prepared = 1;
		surveys_viewer_vars(req);
		rq_var_set(req, "status", "open");
	}
	if ((s = db_step(req, &op_survey_load, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) == 0)
		return (respond_error(req, 404, NULL, NULL, NULL));
	if ((def = stored_def(req, res)) == NULL)
		return (KORE_RESULT_OK);
	n = def->nquestions;
	survey_free(def);
	if (n == 0)
		return (respond_field(req, 422, "/definition/pages",
		    "has no questions: nothing to answer"));
	return (db_request(req, &op_status));
}

/* POST /api/v1/surveys/{id}/close */
int
api_survey_close(struct http_request *req)
{
	if (!rq_get(req)->prepared) {
		rq_get(req)->prepared = 1;
		rq_var_set(req, "status", "closed");
	}
	return (db_request(req, &op_status));
}

/* ---------------------------------------------------------- responses */

static const struct input_field response_input[] = {
	{ "answers", IN_MAP, NULL },
	{ "access_code", IN_TEXT, NULL },
	{ "district", IN_TEXT, NULL },
	{ "channel", IN_TEXT, NULL },
	{ "citizen_code", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/* An access code as printed, upper-cased; MW_ERROR if it cannot be one. */
static int
code_normalize(const char *in, char *out)
{
	size_t	i;

	if (strlen(in) != CODE_LEN)
		return (MW_ERROR);
	for (i = 0; i < CODE_LEN; i++) {
		out[i] = (char)toupper((unsigned char)in[i]);
		if (strchr(CODE_ALPHABET, out[i]) == NULL || out[i] == '\0')
			return (MW_ERROR);
	}
	out[CODE_LEN] = '\0';
	return (MW_OK);
}

/* What a code is stored as: a keyed hash bound to its survey. */
static void
code_hash(int64_t sid, const char *code, unsigned char *out)
{
	char	buf[64];

	(void)snprintf(buf, sizeof(buf), "survey-code:%lld:%s",
	    (long long)sid, code);
	token_hash(&mw_keys, buf, out);
	sodium_memzero(buf, sizeof(buf));
}

/*
 * For a page that checks an access code before the last page: "code_hash"
 * for op_survey_code_check; MW_ERROR if it cannot be a code at all.
 */
int
surveys_code_vars(struct http_request *req, const char *code)
{
	unsigned char	hash[TOKEN_HASH_LEN];
	char		norm[CODE_LEN + 1];

	if (!code_normalize(code, norm))
		return (MW_ERROR);
	code_hash(survey_id(req), norm, hash);
	var_hex(req, "code_hash", hash, sizeof(hash));
	return (MW_OK);
}

static const char *
browser_cookie_name(void)
{
	return (mw_config.behind_tls ? BROWSER_COOKIE_TLS : BROWSER_COOKIE);
}

/*
 * The browser's token for "open" surveys, from its cookie or new (then
 * set): one response per browser, which clearing cookies defeats.
 */
static void
browser_token(struct http_request *req, char *token)
{
	const char	*h;
	char		cookie[256];

	if (http_request_header(req, "cookie", &h) &&
	    cookie_find(h, browser_cookie_name(), token, TOKEN_LEN + 1) &&
	    token_valid(token))
		return;
	token_new(token);
	cookie_format(cookie, sizeof(cookie), browser_cookie_name(), token,
	    BROWSER_MAX_AGE, mw_config.behind_tls);
	http_response_header(req, "set-cookie", cookie);
}

/*
 * Input checks before any query: who enters the response and through
 * which channel.  MW_ERROR after an answer.
 */
static int
response_prepare(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*channel, *code, *v;
	char			norm[CODE_LEN + 1];

	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, response_input, &fe))
		return (respond_fields(req, 422, &fe), MW_ERROR);
	v = NULL;
	if (cJSON_GetObjectItemCaseSensitive(rq->body, "answers") == NULL)
		error_field_add(&fe, "answers", "required");
	channel = input_text(req, "channel");
	if (channel == NULL)
		channel = "online";
	if (!input_one_of(channel, channels))
		error_field_add(&fe, "channel", "must be online, paper, phone "
		    "or in_person");
	else
		rq_var_set(req, "r_channel", channel);
	code = input_text(req, "citizen_code");
	if (strcmp(channel, "online") != 0 || code != NULL) {
		if (!(rq->who.roles & ROLE_STAFF)) {
			respond_error(req, 403, "forbidden", "Only staff enter "
			    "responses on a citizen's behalf.", NULL);
			return (MW_ERROR);
		}
		if (strcmp(channel, "online") == 0)
			error_field_add(&fe, "citizen_code", "only for paper, "
			    "phone or in-person responses");
		rq_var_setf(req, "r_staff", "%lld",
		    (long long)rq->who.account_id);
		if (code != NULL) {
			if (!text_ok(code, 16))
				error_field_add(&fe, "citizen_code", "is not a "
				    "consent code");
			else
				rq_var_set(req, "r_citizen_code", code);
		}
	}
	if ((v = input_text(req, "access_code")) != NULL) {
		if (!code_normalize(v, norm))
			error_field_add(&fe, "access_code", "is not an access "
			    "code of this survey");
		else
			rq_var_set(req, "r_access_norm", norm);
	}
	if ((v = input_text(req, "district")) != NULL) {
		if (!text_ok(v, 64))
			error_field_add(&fe, "district", "is not a known "
			    "district");
		else
			rq_var_set(req, "r_district", v);
	}
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe), MW_ERROR);
	/* A signed-in citizen answers as themselves: verified, like ideas. */
	if (rq->who.account_id != 0 &&
	    params_get(&rq->vars, "r_staff") == NULL &&
	    params_get(&rq->vars, "r_access_norm") == NULL &&
	    !submission_allowed(req))
		return (MW_ERROR);
	return (MW_OK);
}

/*
 * An "open" survey takes anyone, and a new browser is a cleared cookie
 * away: responses without a cookie from one client address count against
 * MITWIRKEN_SUBMIT_LIMIT_IP per MITWIRKEN_SUBMIT_WINDOW, per survey (a
 * school or a town-hall terminal answers one survey many times, but not
 * thousands).  Sets the vars of op_open_rate.
 */
static void
open_rate_vars(struct http_request *req)
{
	char	ip[64];

	submission_client_key(req, ip, sizeof(ip));
	rq_var_setf(req, "r_rate_keys", "{\"s%lld:i:%s\"}",
	    (long long)survey_id(req), ip);
	rq_var_setf(req, "r_rate_limits", "{%d}", mw_config.submit_limit_ip);
	rq_var_setf(req, "r_rate_window", "%d", mw_config.submit_window);
}

/*
 * Who responds, once the survey's access mode is known: sets kind,
 * respondent (and code_hash, account).  MW_ERROR after an answer.
 */
static int
respondent_vars(struct http_request *req, const char *access,
    const char *consent_account)
{
	struct rq	*rq = rq_get(req);
	unsigned char	mac[SURVEY_RESPONDENT_LEN], hash[TOKEN_HASH_LEN];
	const char	*code;
	char		subject[TOKEN_LEN + 1], kind;
	int64_t		sid = survey_id(req);
	int		staff;

	staff = params_get(&rq->vars, "r_staff") != NULL;
	code = params_get(&rq->vars, "r_access_norm");
	if (code != NULL) {
		if (strcmp(access, "codes") != 0)
			return (respond_field(req, 422, "access_code", "this "
			    "survey takes no access codes"), MW_ERROR);
		kind = 'c';
		(void)snprintf(subject, sizeof(subject), "%s", code);
		code_hash(sid, code, hash);
		var_hex(req, "r_code_hash", hash, sizeof(hash));
	} else if (consent_account != NULL) {
		kind = 'a';
		(void)snprintf(subject, sizeof(subject), "%s", consent_account);
		rq_var_set(req, "r_account", consent_account);
	} else if (staff) {
		kind = 'p';
		token_new(subject);
	} else if (strcmp(access, "codes") == 0) {
		return (respond_field(req, 422, "access_code", "required: this "
		    "survey is answered with an access code"), MW_ERROR);
	} else if (rq->who.account_id != 0) {
		kind = 'a';
		(void)snprintf(subject, sizeof(subject), "%lld",
		    (long long)rq->who.account_id);
	} else if (strcmp(access, "open") == 0) {
		kind = 'b';
		browser_token(req, subject);
		open_rate_vars(req);
	} else {
		respond_error(req, 401, "unauthorized", "Sign in to answer "
		    "this survey.", NULL);
		return (MW_ERROR);
	}
	survey_respondent(&mw_keys, sid, kind, subject, mac);
	sodium_memzero(subject, sizeof(subject));
	var_hex(req, "r_respondent", mac, sizeof(mac));
	rq_var_setf(req, "r_kind", "%c", kind);
	return (MW_OK);
}

/*
 * The answers against the definition: the clean answers and their tally
 * keys as vars; MW_ERROR after a 422 listing every problem.
 */
static int
answers_vars(struct http_request *req, PGresult *res, int mode,
    const char *answers_var)
{
	struct survey_problems	p;
	struct survey_def	*def;
	struct strbuf		keys;
	unsigned char		*seen;
	cJSON			*clean;
	const char		*xa, *xb;

	if ((def = stored_def(req, res)) == NULL)
		return (MW_ERROR);
	memset(&p, 0, sizeof(p));
	seen = calloc((size_t)def->nquestions + 1, 1);
	if (seen == NULL)
		fatal("answers_vars: out of memory");
	clean = answers_check(def, cJSON_GetObjectItemCaseSensitive(
	    rq_get(req)->body, "answers"), mode, seen, &p);
	if (clean == NULL || p.count > 0) {
		cJSON_Delete(clean);
		free(seen);
		survey_free(def);
		return (respond_problems(req, 422, "validation_failed",
		    "Some answers are invalid.", "/answers", &p), MW_ERROR);
	}
	var_json(req, answers_var, clean);
	if (mode == ANSWERS_FINAL) {
		xa = PQgetisnull(res, 0, L_CROSSTAB_A) ? NULL :
		    PQgetvalue(res, 0, L_CROSSTAB_A);
		xb = PQgetisnull(res, 0, L_CROSSTAB_B) ? NULL :
		    PQgetvalue(res, 0, L_CROSSTAB_B);
		strbuf_init(&keys, 256);
		results_tallies(def, clean, seen, xa, xb, &keys);
		rq_var_set(req, "r_keys", keys.data);
		strbuf_free(&keys);
	}
	cJSON_Delete(clean);
	free(seen);
	survey_free(def);
	return (MW_OK);
}

/*
 * POST /api/v1/surveys/{id}/responses: checks, then one statement that
 * checks status, window, access mode and version, uses up an access
 * code, stores the response and counts it (survey_submit()).
 */
int
api_survey_respond(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res, *peek;
	enum db_status	s;
	const char	*account;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!response_prepare(req))
			return (KORE_RESULT_OK);
		rq_var_put(req, "planner", "f");
	}
	account = NULL;
	if (params_get(&rq->vars, "r_citizen_code") != NULL) {
		if ((s = db_step(req, &op_consent_peek, &peek)) != DB_DONE)
			return (db_yield(s));
		if (PQntuples(peek) == 0)
			return (respond_field(req, 422, "citizen_code", "is "
			    "unknown, expired or already used: ask the "
			    "citizen for a new one"));
		account = PQgetvalue(peek, 0, 0);
	}
	if ((s = db_step(req, &op_survey_load, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) == 0)
		return (respond_error(req, 404, NULL, NULL, NULL));
	if (params_get(&rq->vars, "r_keys") == NULL) {
		if (!respondent_vars(req, PQgetvalue(res, 0, L_ACCESS),
		    account))
			return (KORE_RESULT_OK);
		if (!answers_vars(req, res, ANSWERS_FINAL, "r_answers"))
			return (KORE_RESULT_OK);
		rq_var_set(req, "r_version", PQgetvalue(res, 0, L_VERSION));
	}
	if (params_get(&rq->vars, "r_rate_keys") != NULL) {
		if ((s = db_step(req, &op_open_rate, &res)) != DB_DONE)
			return (db_yield(s));
		if (atoi(PQgetvalue(res, 0, 0)) > 0)
			return (submission_limited(req, PQgetvalue(res, 0, 0)));
	}
	if ((s = db_step(req, &op_submit, &res)) != DB_DONE)
		return (db_yield(s));
	return (respond_done(req, 201, JSON_TYPE, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0)));
}

/* ------------------------------------------------------------- drafts */

static const struct input_field draft_input[] = {
	{ "answers", IN_MAP, NULL },
	{ "page", IN_INT, NULL },
	{ NULL, 0, NULL }
};

/* GET /api/v1/surveys/{id}/draft */
int
api_survey_draft(struct http_request *req)
{
	if (!rq_get(req)->prepared) {
		rq_get(req)->prepared = 1;
		surveys_account_respondent(req, "respondent");
	}
	return (db_request(req, &op_survey_draft));
}

/* PUT /api/v1/surveys/{id}/draft: checked like a response, but partial. */
int
api_survey_draft_put(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;
	double			page;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!input_fields(req, draft_input, &fe))
			return (respond_fields(req, 422, &fe));
		if (cJSON_GetObjectItemCaseSensitive(rq->body, "answers") ==
		    NULL)
			return (respond_field(req, 422, "answers",
			    "required"));
		if (input_number(req, "page", &page, &fe) == 1) {
			if (page < 0 || page >= SURVEY_PAGES_MAX)
				return (respond_field(req, 422, "page",
				    "is not a page of this survey"));
			rq_var_setf(req, "page", "%d", (int)page);
		}
		rq_var_put(req, "planner", "f");
		surveys_account_respondent(req, "respondent");
	}
	if ((s = db_step(req, &op_survey_load, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) == 0)
		return (respond_error(req, 404, NULL, NULL, NULL));
	if (params_get(&rq->vars, "answers") == NULL &&
	    !answers_vars(req, res, ANSWERS_DRAFT, "answers"))
		return (KORE_RESULT_OK);
	return (db_request(req, &op_survey_draft_put));
}

/* DELETE /api/v1/surveys/{id}/draft */
int
api_survey_draft_delete(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;

	if (!rq_get(req)->prepared) {
		rq_get(req)->prepared = 1;
		surveys_account_respondent(req, "respondent");
	}
	if ((s = db_step(req, &op_draft_delete, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) == 0)
		return (respond_error(req, 404, NULL, NULL, NULL));
	return (respond(req, 204, NULL, NULL, 0));
}

/* -------------------------------------------------------------- codes */

static const struct input_field codes_input[] = {
	{ "count", IN_INT, NULL },
	{ NULL, 0, NULL }
};

static void
code_new(char *out)
{
	size_t	i;

	for (i = 0; i < CODE_LEN; i++)
		out[i] = CODE_ALPHABET[randombytes_uniform(
		    sizeof(CODE_ALPHABET) - 1)];
	out[CODE_LEN] = '\0';
}

/*
 * N new single-use codes for survey "id" (the request's "count", 1 to
 * 1000), stored as keyed hashes only: DB_DONE with the codes, comma-
 * separated, in *codes; DB_FAILED after an answer (422 count, 409 for a
 * survey without access "codes").  Pages print them (planner_pages.c).
 */
enum db_status
surveys_codes_step(struct http_request *req, const char **codes)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	struct strbuf		hashes, out;
	unsigned char		hash[TOKEN_HASH_LEN];
	char			hex[TOKEN_HASH_LEN * 2 + 3], code[CODE_LEN + 1];
	PGresult		*res;
	enum db_status		s;
	double			count;
	int			i, n;

	*codes = NULL;
	if (params_get(&rq->vars, "hashes") == NULL) {
		memset(&fe, 0, sizeof(fe));
		if (!input_fields(req, codes_input, &fe))
			return (respond_fields(req, 422, &fe), DB_FAILED);
		if (input_number(req, "count", &count, &fe) != 1)
			return (respond_field(req, 422, "count",
			    fe.count > 0 ? fe.items[0].reason : "required"),
			    DB_FAILED);
		if (count < 1 || count > CODES_MAX ||
		    count != (double)(int)count)
			return (respond_field(req, 422, "count", "must be a "
			    "whole number from 1 to 1000"), DB_FAILED);
		n = (int)count;
		strbuf_init(&out, (size_t)n * (CODE_LEN + 1) + 1);
		strbuf_init(&hashes, (size_t)n * (TOKEN_HASH_LEN * 2 + 1) + 1);
		for (i = 0; i < n; i++) {
			code_new(code);
			strbuf_appendf(&out, "%s%s", i > 0 ? "," : "", code);
			code_hash(survey_id(req), code, hash);
			bytea_hex(hash, sizeof(hash), hex, sizeof(hex));
			strbuf_appendf(&hashes, "%s%s", i > 0 ? "," : "",
			    hex + 2);
		}
		rq_var_set(req, "codes", out.data);
		rq_var_set(req, "hashes", hashes.data);
		sodium_memzero(out.data, out.len);
		strbuf_free(&out);
		strbuf_free(&hashes);
		sodium_memzero(code, sizeof(code));
	}
	if ((s = db_step(req, &op_codes, &res)) != DB_DONE)
		return (s);
	*codes = params_get(&rq->vars, "codes");
	return (DB_DONE);
}

/*
 * POST /api/v1/surveys/{id}/codes: N new single-use codes, shown this
 * once (only their keyed hashes are stored), as JSON or CSV.
 */
int
api_survey_codes(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct strbuf		out;
	enum db_status		s;
	const char		*fmt, *codes;
	int			csv;

	if ((s = surveys_codes_step(req, &codes)) != DB_DONE)
		return (db_yield(s));
	fmt = params_get(&rq->params, "format");
	csv = fmt != NULL && strcmp(fmt, "csv") == 0;
	strbuf_init(&out, strlen(codes) * 2 + 64);
	if (csv) {
		strbuf_appends(&out, "code\r\n");
		for (; *codes != '\0'; codes++) {
			if (*codes == ',')
				strbuf_appends(&out, "\r\n");
			else
				strbuf_append(&out, codes, 1);
		}
		strbuf_appends(&out, "\r\n");
		http_response_header(req, "content-disposition", "attachment; "
		    "filename=\"zugangscodes.csv\"");
	} else {
		strbuf_appendf(&out, "{\"survey_id\":%lld,\"codes\":[\"",
		    (long long)survey_id(req));
		for (; *codes != '\0'; codes++) {
			if (*codes == ',')
				strbuf_appends(&out, "\",\"");
			else
				strbuf_append(&out, codes, 1);
		}
		strbuf_appends(&out, "\"]}");
	}
	http_response_header(req, "cache-control", "no-store");
	respond(req, 201, csv ? CSV_TYPE : JSON_TYPE, out.data, out.len);
	sodium_memzero(out.data, out.len);
	strbuf_free(&out);
	return (KORE_RESULT_OK);
}

/* ------------------------------------------------------------ results */

/*
 * The results document (results_build) of survey "id" under the request's
 * filters (channel, district): from the tallies alone, the same cost at a
 * million responses.  Planners ("planner" var, surveys_viewer_vars) see
 * every count; everyone else only published results, with counts below k
 * suppressed.  DB_DONE with *out (the caller frees it); DB_FAILED after an
 * answer (404, 403 results_not_public).
 */
enum db_status
surveys_results_step(struct http_request *req, cJSON **out)
{
	struct rq		*rq = rq_get(req);
	struct results_opts	opts;
	struct survey_def	*def;
	struct tally		*t;
	PGresult		*load, *res;
	enum db_status		s;
	int			i, n, plan;

	*out = NULL;
	plan = planner(req);
	if ((s = db_step(req, &op_survey_load, &load)) != DB_DONE)
		return (s);
	if (PQntuples(load) == 0) {
		respond_error(req, 404, NULL, NULL, NULL);
		return (DB_FAILED);
	}
	if (!plan && PQgetvalue(load, 0, L_PUBLIC)[0] != 't') {
		respond_error(req, 403, "results_not_public", "The results of "
		    "this survey are not published.", NULL);
		return (DB_FAILED);
	}
	if ((s = db_step(req, &op_results, &res)) != DB_DONE)
		return (s);
	if ((def = stored_def(req, load)) == NULL)
		return (DB_FAILED);
	n = PQntuples(res);
	t = calloc((size_t)n + 1, sizeof(*t));
	if (t == NULL)
		fatal("surveys_results_step: out of memory");
	for (i = 0; i < n; i++) {
		t[i].kind = PQgetvalue(res, i, 0)[0];
		t[i].question = PQgetvalue(res, i, 1);
		t[i].item = PQgetvalue(res, i, 2);
		t[i].value = PQgetvalue(res, i, 3);
		t[i].n = strtoll(PQgetvalue(res, i, 4), NULL, 10);
	}
	memset(&opts, 0, sizeof(opts));
	opts.k = plan ? 0 : mw_config.survey_k;
	opts.lang = rq->lang;
	opts.crosstab_a = PQgetisnull(load, 0, L_CROSSTAB_A) ? NULL :
	    PQgetvalue(load, 0, L_CROSSTAB_A);
	opts.crosstab_b = PQgetisnull(load, 0, L_CROSSTAB_B) ? NULL :
	    PQgetvalue(load, 0, L_CROSSTAB_B);
	*out = results_build(def, t, n, &opts);
	free(t);
	survey_free(def);
	if (*out == NULL) {
		respond_error(req, 500, NULL, NULL, NULL);
		return (DB_FAILED);
	}
	cJSON_AddNumberToObject(*out, "survey_id", (double)survey_id(req));
	return (DB_DONE);
}

/* GET /api/v1/surveys/{id}/results */
int
api_survey_results(struct http_request *req)
{
	enum db_status	s;
	cJSON		*doc;
	char		*body;

	if (!rq_get(req)->prepared) {
		rq_get(req)->prepared = 1;
		surveys_viewer_vars(req);
	}
	if ((s = surveys_results_step(req, &doc)) != DB_DONE)
		return (db_yield(s));
	body = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	respond(req, 200, JSON_TYPE, body, strlen(body));
	cJSON_free(body);
	return (KORE_RESULT_OK);
}
