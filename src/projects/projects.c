/*
 * The project registry's JSON API.  The Steckbrief is built by PostgreSQL
 * (project_json); the server adds each success criterion's verdict from
 * its series (progress.c), so the API, the pages and the evaluation
 * report judge alike.  Writes are the functions in
 * sql/functions/project_*.sql and success_*.sql, one statement each, with
 * their audit log entries in the same transaction.
 *
 * Planners maintain projects and their criteria; the status steps here
 * are theirs (selected → in_implementation → completed).  Selecting and
 * rejecting are the board's decision (board_projects.c).
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "projects.h"

#define LINKS_MAX	100

const char *const projects_statuses[] = { "proposed", "selected",
    "in_implementation", "completed", "rejected", NULL };
static const char *const derivations[] = { "manual", "survey_mean",
    "defect_ack_days", "defect_resolve_days", NULL };
/* What a planner may set; the board sets selected and rejected. */
static const char *const planner_statuses[] = { "in_implementation",
    "completed", NULL };

static const char SQL_LIST[] =
    "SELECT jsonb_build_object('projects', coalesce(jsonb_agg("
    " project_brief(q.pr, $4) ORDER BY q.id DESC)"
    "  FILTER (WHERE q.rn <= 20), '[]'),"
    " 'page', coalesce($5::int, 1),"
    " 'next_page', CASE WHEN max(q.rn) > 20 THEN coalesce($5::int, 1) + 1"
    "  END)"
    " FROM (SELECT x.pr, x.id, row_number() OVER (ORDER BY x.id DESC) AS rn"
    "  FROM (SELECT p AS pr, p.id FROM projects p"
    "   WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM project_fields pf"
    "    JOIN fields f ON f.id = pf.field_id WHERE pf.project_id = p.id"
    "    AND f.slug = $1) OR (NOT EXISTS (SELECT 1 FROM fields"
    "    WHERE slug = $1) AND taxonomy_unknown('field')))"
    "   AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM project_goals pg"
    "    JOIN goals g ON g.id = pg.goal_id WHERE pg.project_id = p.id"
    "    AND g.slug = $2) OR (NOT EXISTS (SELECT 1 FROM goals"
    "    WHERE slug = $2) AND taxonomy_unknown('goal')))"
    "   AND ($3::text IS NULL OR p.status = $3)"
    "   ORDER BY p.id DESC OFFSET (coalesce($5::int, 1) - 1) * 20"
    "   LIMIT 21) x) q";

static const char SQL_PROJECT[] =
    "SELECT project_json($1::bigint, $2)";

static const char SQL_CRITERIA[] =
    "SELECT jsonb_build_object('criteria', project_json($1::bigint, $2)"
    " -> 'criteria') WHERE EXISTS (SELECT 1 FROM projects"
    " WHERE id = $1::bigint)";

#define PROJECT_VALUES \
    " $4, $5, $6, $7, $8, $9, $10::date, $11::date, $12::numeric," \
    " $13::text[], $14::text[], $15::bigint[], $16::bigint[], $17"

/* Creates without an id (the route has none), replaces with one. */
static const char SQL_SAVE[] =
    "SELECT project_save($2::bigint, $1::bigint, $3::int," PROJECT_VALUES
    ")";

static const char SQL_STATUS[] =
    "SELECT project_set_status($1::bigint, $2::bigint, $3, $4, $5::int,"
    " $6)";

#define CRITERION_VALUES \
    " $4, $5, $6, $7::numeric, $8::date, $9::numeric, $10::date, $11," \
    " coalesce($12, 'manual'), $13::bigint, $14, $15, $16::int, $17"

/* As for projects: the create route has no cid. */
static const char SQL_CRITERION_SAVE[] =
    "SELECT success_criterion_save($1::bigint, $2::bigint, $3::bigint,"
    CRITERION_VALUES ")";

static const char SQL_CRITERION_DELETE[] =
    "SELECT success_criterion_delete($1::bigint, $2::bigint, $3::bigint)";

static const char SQL_MEASUREMENT_CREATE[] =
    "SELECT project_measurement_add($1::bigint, $2::bigint, $3::bigint,"
    " $4::numeric, $5::date, $6)";

static const char SQL_MEASUREMENT_DELETE[] =
    "SELECT project_measurement_delete($1::bigint, $2::bigint,"
    " $3::bigint, $4::bigint)";

static const char *const list_args[] = { "field", "goal", "status", "@lang",
    "page", NULL };
static const char *const project_args[] = { "id", "@lang", NULL };
static const char *const save_args[] = { "me", "id", "version", "title_de",
    "title_en", "summary_de", "summary_en", "department", "partners",
    "starts_on", "ends_on", "budget_eur", "fields", "goals", "idea_ids",
    "survey_ids", "@lang", NULL };
static const char *const status_args[] = { "id", "me", "status", "note",
    "version", "@lang", NULL };
static const char *const criterion_args[] = { "id", "cid", "me", "name_de",
    "name_en", "unit", "baseline", "baseline_on", "target", "target_on",
    "source", "derivation", "survey_id", "question", "category", "position",
    "@lang", NULL };
static const char *const criterion_delete_args[] = { "id", "cid", "me",
    NULL };
static const char *const measurement_args[] = { "id", "cid", "me", "value",
    "measured_on", "note", NULL };
static const char *const measurement_delete_args[] = { "id", "cid", "mid",
    "me", NULL };

static const struct db_constraint list_constraints[] = {
	{ "taxonomy_field", 422, "field", "is not a known field of action",
	    NULL },
	{ "taxonomy_goal", 422, "goal", "is not a known strategic goal", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint save_constraints[] = {
	{ "project_missing", 404, "id", "no project with this id", NULL },
	{ "project_version", 409, "version", "the project was changed "
	    "meanwhile: load it again", "version_conflict" },
	{ "project_department", 422, "department", "is not a known "
	    "department", NULL },
	{ "project_fields_required", 422, "fields", "required: at least one "
	    "field of action", NULL },
	{ "project_fields", 422, "fields", "contains an unknown field of "
	    "action", NULL },
	{ "project_goals", 422, "goals", "contains an unknown strategic goal",
	    NULL },
	{ "project_ideas", 422, "idea_ids", "contains an id that is no "
	    "published idea", NULL },
	{ "project_surveys", 422, "survey_ids", "contains an id that is no "
	    "survey out of draft", NULL },
	{ "project_dates", 422, "ends_on", "must not be before starts_on",
	    NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint status_constraints[] = {
	{ "project_missing", 404, "id", "no project with this id", NULL },
	{ "project_version", 409, "version", "the project was changed "
	    "meanwhile: load it again", "version_conflict" },
	{ "project_transition", 409, "status", "planners move a selected "
	    "project into implementation, then to completed",
	    "illegal_transition" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint criterion_constraints[] = {
	{ "project_missing", 404, "id", "no project with this id", NULL },
	{ "success_missing", 404, "cid", "no such criterion of this project",
	    NULL },
	{ "success_survey", 422, "survey_id", "is not a survey out of draft",
	    NULL },
	{ "success_category", 422, "category", "is not a known defect "
	    "category", NULL },
	{ "success_target", 422, "target", "must differ from the baseline",
	    NULL },
	{ "success_dates", 422, "target_on", "must be after baseline_on",
	    NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint measurement_constraints[] = {
	{ "success_missing", 404, "cid", "no such criterion of this project",
	    NULL },
	{ "measurement_missing", 404, "mid", "no such measurement of this "
	    "criterion", NULL },
	{ "success_derived", 409, "cid", "the criterion is derived from "
	    "mitwirken's data and takes no measurements", "derived" },
	{ "measurement_once", 409, "measured_on", "there is a measurement on "
	    "this date already: delete it first", "duplicate" },
	{ NULL, 0, NULL, NULL, NULL }
};

static int	send_project(struct http_request *, PGresult *,
		    const struct db_op *);
static int	send_created(struct http_request *, PGresult *,
		    const struct db_op *);

const struct db_op op_projects = {
	.name = "projects", .sql = SQL_LIST, .kind = DB_READ,
	.args = list_args, .constraints = list_constraints,
	.done = db_send_json,
};
const struct db_op op_project = {
	.name = "project", .sql = SQL_PROJECT, .kind = DB_READ,
	.args = project_args, .done = send_project,
};
static const struct db_op op_criteria = {
	.name = "project_criteria", .sql = SQL_CRITERIA, .kind = DB_READ,
	.args = project_args, .done = send_project,
};
static const struct db_op op_create = {
	.name = "project_create", .sql = SQL_SAVE, .kind = DB_WRITE,
	.args = save_args, .constraints = save_constraints,
	.done = send_created, .extra = "/api/v1/projects/",
};
static const struct db_op op_update = {
	.name = "project_update", .sql = SQL_SAVE, .kind = DB_WRITE,
	.args = save_args, .constraints = save_constraints,
	.done = send_project,
};
static const struct db_op op_status = {
	.name = "project_status", .sql = SQL_STATUS, .kind = DB_WRITE,
	.args = status_args, .constraints = status_constraints,
	.done = send_project,
};
static const struct db_op op_criterion_create = {
	.name = "criterion_create", .sql = SQL_CRITERION_SAVE,
	.kind = DB_WRITE, .args = criterion_args,
	.constraints = criterion_constraints, .done = send_created,
	.extra = "criteria",
};
static const struct db_op op_criterion_update = {
	.name = "criterion_update", .sql = SQL_CRITERION_SAVE,
	.kind = DB_WRITE, .args = criterion_args,
	.constraints = criterion_constraints, .done = send_project,
};
static const struct db_op op_criterion_delete = {
	.name = "criterion_delete", .sql = SQL_CRITERION_DELETE,
	.kind = DB_WRITE, .args = criterion_delete_args,
	.constraints = criterion_constraints, .done = db_send_json,
};
static const struct db_op op_measurement_create = {
	.name = "measurement_create", .sql = SQL_MEASUREMENT_CREATE,
	.kind = DB_WRITE, .args = measurement_args,
	.constraints = measurement_constraints, .done = send_created,
	.extra = "measurements",
};
static const struct db_op op_measurement_delete = {
	.name = "measurement_delete", .sql = SQL_MEASUREMENT_DELETE,
	.kind = DB_WRITE, .args = measurement_delete_args,
	.constraints = measurement_constraints, .done = db_send_json,
};

/* ------------------------------------------------------------ verdicts */

/* Each criterion of a project (or a single criterion) gets its verdict. */
void
projects_progress(cJSON *doc)
{
	cJSON	*list, *c;

	if (cJSON_GetObjectItemCaseSensitive(doc, "series") != NULL) {
		progress_json(doc);
		return;
	}
	list = cJSON_GetObjectItemCaseSensitive(doc, "criteria");
	cJSON_ArrayForEach(c, list)
		progress_json(c);
}

/* The result's document with the verdicts; NULL if there is none. */
cJSON *
projects_json(PGresult *res)
{
	cJSON	*doc;

	if ((doc = db_json(res)) != NULL)
		projects_progress(doc);
	return (doc);
}

static int
send_doc(struct http_request *req, int status, cJSON *doc)
{
	char	*body;
	int	ret;

	body = cJSON_PrintUnformatted(doc);
	ret = respond(req, status, JSON_TYPE, body, strlen(body));
	cJSON_free(body);
	return (ret);
}

static int
send_project(struct http_request *req, PGresult *res, const struct db_op *op)
{
	cJSON	*doc;
	int	ret;

	(void)op;
	if (rq_get(req)->form_page != NULL)
		return (form_done(req));
	if ((doc = projects_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	ret = send_doc(req, 200, doc);
	cJSON_Delete(doc);
	return (ret);
}

/* 201 with the new thing's address: a project, criterion, measurement. */
static int
send_created(struct http_request *req, PGresult *res, const struct db_op *op)
{
	const char	*pid, *cid, *what = op->extra;
	const cJSON	*id;
	cJSON		*doc;
	char		location[160];
	int		ret;

	if (rq_get(req)->form_page != NULL)
		return (form_done(req));
	if ((doc = projects_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	id = cJSON_GetObjectItemCaseSensitive(doc, "id");
	pid = params_get(&rq_get(req)->params, "id");
	cid = params_get(&rq_get(req)->params, "cid");
	if (what[0] == '/')
		(void)snprintf(location, sizeof(location), "%s%.0f", what,
		    cJSON_IsNumber(id) ? id->valuedouble : 0.0);
	else if (cid == NULL)
		(void)snprintf(location, sizeof(location),
		    "/api/v1/projects/%s/%s/%.0f", pid, what,
		    cJSON_IsNumber(id) ? id->valuedouble : 0.0);
	else
		(void)snprintf(location, sizeof(location),
		    "/api/v1/projects/%s/criteria/%s/%s/%.0f", pid, cid, what,
		    cJSON_IsNumber(id) ? id->valuedouble : 0.0);
	http_response_header(req, "location", location);
	ret = send_doc(req, 201, doc);
	cJSON_Delete(doc);
	return (ret);
}

/* ------------------------------------------------------------ input */

/* A date "YYYY-MM-DD" into its var; absent is fine unless required. */
static void
date_var(struct http_request *req, const char *name, int required,
    struct field_errors *fe)
{
	const char	*v;
	long		day;

	if ((v = input_text(req, name)) == NULL) {
		if (required)
			error_field_add(fe, name, "required");
		return;
	}
	if (strlen(v) != 10 || !progress_day(v, &day))
		error_field_add(fe, name, "must be a date YYYY-MM-DD");
	else
		rq_var_set(req, name, v);
}

/* A finite number into its var (forms may write a decimal comma). */
static int
number_var(struct http_request *req, const char *name, int required,
    struct field_errors *fe)
{
	double	d;
	int	r;

	if ((r = input_number(req, name, &d, fe)) == 0 && required)
		error_field_add(fe, name, "required");
	if (r != 1)
		return (r);
	if (!isfinite(d) || fabs(d) > 1e12) {
		error_field_add(fe, name, "must be a number of at most 12 "
		    "digits before the point");
		return (-1);
	}
	rq_var_setf(req, name, "%.15g", d);
	return (1);
}

/* Whole numbers in [min, max] into their var. */
static void
int_var(struct http_request *req, const char *name, long long min,
    long long max, struct field_errors *fe)
{
	double	d;

	if (input_number(req, name, &d, fe) != 1)
		return;
	if (d < (double)min || d > (double)max || d != floor(d))
		error_field_add(fe, name, "must be a whole number in range");
	else
		rq_var_setf(req, name, "%lld", (long long)d);
}

static int
id_add(struct strbuf *arr, int *n, double d)
{
	if (d < 1 || d > 9007199254740991.0 || d != floor(d) ||
	    ++*n > LINKS_MAX)
		return (MW_ERROR);
	strbuf_appendf(arr, "%s%lld", *n > 1 ? "," : "", (long long)d);
	return (MW_OK);
}

/*
 * A list of ids as an array literal in its var: a JSON array of numbers,
 * or a form's text "12, 15 17".  Absent: "{}".
 */
static void
ids_var(struct http_request *req, const char *name, struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	struct strbuf	arr;
	const cJSON	*e;
	const char	*s;
	char		*end;
	int		n, ok;
	double		d;

	strbuf_init(&arr, 64);
	strbuf_appends(&arr, "{");
	n = 0;
	ok = MW_OK;
	if (rq->body != NULL) {
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(
		    rq->body, name)) {
			if (!(ok = id_add(&arr, &n, e->valuedouble)))
				break;
		}
	} else if ((s = params_get(&rq->form, name)) != NULL) {
		while (ok && *s != '\0') {
			if (*s == ',' || *s == ' ') {
				s++;
				continue;
			}
			if (*s < '0' || *s > '9') {
				ok = MW_ERROR;
				break;
			}
			d = strtod(s, &end);
			ok = id_add(&arr, &n, d);
			s = end;
		}
	}
	strbuf_appends(&arr, "}");
	if (ok)
		rq_var_set(req, name, arr.data);
	else
		error_field_add(fe, name, "must be a list of at most 100 ids");
	strbuf_free(&arr);
}

static const struct input_field project_input[] = {
	{ "title_de", IN_TEXT, NULL },
	{ "title_en", IN_TEXT, NULL },
	{ "summary_de", IN_TEXT, NULL },
	{ "summary_en", IN_TEXT, NULL },
	{ "department", IN_TEXT, NULL },
	{ "partners", IN_TEXT, NULL },
	{ "starts_on", IN_TEXT, NULL },
	{ "ends_on", IN_TEXT, NULL },
	{ "budget_eur", IN_NUMBER, NULL },
	{ "fields", IN_LIST, "field-" },
	{ "goals", IN_LIST, "goal-" },
	{ "idea_ids", IN_IDS, NULL },
	{ "survey_ids", IN_IDS, NULL },
	{ "version", IN_INT, NULL },
	{ NULL, 0, NULL }
};
/* The lists' entries above, for input_slugs. */
#define IN_FIELDS	9
#define IN_GOALS	10

/* Checks a Steckbrief; the database checks what exists. */
static int
project_prepare(struct http_request *req, int update)
{
	struct field_errors	fe;
	const char		*dept;

	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, project_input, &fe))
		return (respond_fields(req, 422, &fe), MW_ERROR);
	(void)input_text_var(req, "title_de", 3, 200, TEXT_REQUIRED, &fe);
	(void)input_text_var(req, "title_en", 3, 200, 0, &fe);
	(void)input_text_var(req, "summary_de", 10, 5000,
	    TEXT_REQUIRED | TEXT_MULTILINE, &fe);
	(void)input_text_var(req, "summary_en", 10, 5000, TEXT_MULTILINE,
	    &fe);
	(void)input_text_var(req, "partners", 1, 1000, TEXT_MULTILINE, &fe);
	if ((dept = input_text(req, "department")) != NULL)
		rq_var_set(req, "department", dept);
	date_var(req, "starts_on", 0, &fe);
	date_var(req, "ends_on", 0, &fe);
	if (number_var(req, "budget_eur", 0, &fe) == 1 &&
	    strtod(params_get(&rq_get(req)->vars, "budget_eur"), NULL) < 0)
		error_field_add(&fe, "budget_eur", "must not be negative");
	(void)input_slugs(req, &project_input[IN_FIELDS], 10, &fe);
	(void)input_slugs(req, &project_input[IN_GOALS], 9, &fe);
	ids_var(req, "idea_ids", &fe);
	ids_var(req, "survey_ids", &fe);
	int_var(req, "version", 1, 1000000000, &fe);
	if (update && params_get(&rq_get(req)->vars, "version") == NULL &&
	    fe.count == 0)
		error_field_add(&fe, "version", "required: the version you "
		    "loaded, so no one's change is lost");
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe), MW_ERROR);
	return (MW_OK);
}

/* ------------------------------------------------------------ handlers */

/* GET /api/v1/projects */
int
api_projects(struct http_request *req)
{
	return (db_request(req, &op_projects));
}

/* GET /api/v1/projects/{id} */
int
api_project(struct http_request *req)
{
	return (db_request(req, &op_project));
}

/* GET /api/v1/projects/{id}/criteria */
int
api_project_criteria(struct http_request *req)
{
	return (db_request(req, &op_criteria));
}

/* POST /api/v1/projects */
int
api_project_create(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!project_prepare(req, 0))
			return (KORE_RESULT_OK);
	}
	return (db_request(req, &op_create));
}

/* PUT /api/v1/projects/{id}: the whole Steckbrief, with its version. */
int
api_project_update(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!project_prepare(req, 1))
			return (KORE_RESULT_OK);
	}
	return (db_request(req, &op_update));
}

static const struct input_field status_input[] = {
	{ "status", IN_TEXT, NULL },
	{ "note", IN_TEXT, NULL },
	{ "version", IN_INT, NULL },
	{ NULL, 0, NULL }
};

/* POST /api/v1/projects/{id}/status */
int
api_project_status(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*status;

	if (rq->prepared)
		return (db_request(req, &op_status));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, status_input, &fe))
		return (respond_fields(req, 422, &fe));
	status = input_text(req, "status");
	if (status == NULL)
		error_field_add(&fe, "status", "required");
	else if (input_one_of(status, planner_statuses))
		rq_var_set(req, "status", status);
	else if (input_one_of(status, projects_statuses))
		error_field_add(&fe, "status", "selecting and rejecting are "
		    "the board's decision; planners set in_implementation or "
		    "completed");
	else
		error_field_add(&fe, "status", "must be in_implementation or "
		    "completed");
	(void)input_text_var(req, "note", 3, 2000,
	    TEXT_REQUIRED | TEXT_MULTILINE, &fe);
	int_var(req, "version", 1, 1000000000, &fe);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	return (db_request(req, &op_status));
}

static const struct input_field criterion_input[] = {
	{ "name_de", IN_TEXT, NULL },
	{ "name_en", IN_TEXT, NULL },
	{ "unit", IN_TEXT, NULL },
	{ "baseline", IN_NUMBER, NULL },
	{ "baseline_on", IN_TEXT, NULL },
	{ "target", IN_NUMBER, NULL },
	{ "target_on", IN_TEXT, NULL },
	{ "source", IN_TEXT, NULL },
	{ "derivation", IN_TEXT, NULL },
	{ "survey_id", IN_INT, NULL },
	{ "question", IN_TEXT, NULL },
	{ "category", IN_TEXT, NULL },
	{ "position", IN_INT, NULL },
	{ NULL, 0, NULL }
};

/* Which source fields a derivation needs, and which it must not have. */
static void
derivation_check(struct http_request *req, struct field_errors *fe)
{
	const char	*d, *survey, *question, *category;

	d = input_text(req, "derivation");
	if (d != NULL && !input_one_of(d, derivations)) {
		error_field_add(fe, "derivation", "must be manual, survey_mean, "
		    "defect_ack_days or defect_resolve_days");
		return;
	}
	if (d == NULL)
		d = "manual";
	rq_var_set(req, "derivation", d);
	survey = params_get(&rq_get(req)->vars, "survey_id");
	question = params_get(&rq_get(req)->vars, "question");
	category = params_get(&rq_get(req)->vars, "category");
	if (strcmp(d, "survey_mean") == 0) {
		if (survey == NULL)
			error_field_add(fe, "survey_id", "required for "
			    "survey_mean");
		if (question == NULL)
			error_field_add(fe, "question", "required for "
			    "survey_mean");
	} else if (survey != NULL || question != NULL) {
		error_field_add(fe, survey != NULL ? "survey_id" : "question",
		    "only for survey_mean");
	}
	if (strncmp(d, "defect_", 7) == 0 && category == NULL)
		error_field_add(fe, "category", "required for " "defect "
		    "derivations");
	else if (strncmp(d, "defect_", 7) != 0 && category != NULL)
		error_field_add(fe, "category", "only for defect_ack_days and "
		    "defect_resolve_days");
}

static int
criterion_prepare(struct http_request *req)
{
	struct field_errors	fe;
	const char		*cat;

	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, criterion_input, &fe))
		return (respond_fields(req, 422, &fe), MW_ERROR);
	(void)input_text_var(req, "name_de", 3, 200, TEXT_REQUIRED, &fe);
	(void)input_text_var(req, "name_en", 3, 200, 0, &fe);
	(void)input_text_var(req, "unit", 1, 40, 0, &fe);
	(void)input_text_var(req, "source", 1, 500, TEXT_MULTILINE, &fe);
	(void)input_text_var(req, "question", 1, 64, 0, &fe);
	(void)number_var(req, "baseline", 1, &fe);
	(void)number_var(req, "target", 1, &fe);
	date_var(req, "baseline_on", 1, &fe);
	date_var(req, "target_on", 1, &fe);
	int_var(req, "survey_id", 1, 9007199254740991LL, &fe);
	int_var(req, "position", 0, 1000, &fe);
	if ((cat = input_text(req, "category")) != NULL)
		rq_var_set(req, "category", cat);
	derivation_check(req, &fe);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe), MW_ERROR);
	return (MW_OK);
}

/* POST /api/v1/projects/{id}/criteria */
int
api_criterion_create(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!criterion_prepare(req))
			return (KORE_RESULT_OK);
	}
	return (db_request(req, &op_criterion_create));
}

/* PUT /api/v1/projects/{id}/criteria/{cid} */
int
api_criterion_update(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!criterion_prepare(req))
			return (KORE_RESULT_OK);
	}
	return (db_request(req, &op_criterion_update));
}

/* DELETE /api/v1/projects/{id}/criteria/{cid} */
int
api_criterion_delete(struct http_request *req)
{
	return (db_request(req, &op_criterion_delete));
}

static const struct input_field measurement_input[] = {
	{ "value", IN_NUMBER, NULL },
	{ "measured_on", IN_TEXT, NULL },
	{ "note", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/* POST /api/v1/projects/{id}/criteria/{cid}/measurements */
int
api_measurement_create(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	if (rq->prepared)
		return (db_request(req, &op_measurement_create));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, measurement_input, &fe))
		return (respond_fields(req, 422, &fe));
	(void)number_var(req, "value", 1, &fe);
	date_var(req, "measured_on", 1, &fe);
	(void)input_text_var(req, "note", 1, 500, TEXT_MULTILINE, &fe);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	return (db_request(req, &op_measurement_create));
}

/* DELETE /api/v1/projects/{id}/criteria/{cid}/measurements/{mid} */
int
api_measurement_delete(struct http_request *req)
{
	return (db_request(req, &op_measurement_delete));
}
