/*
 * Surveys as pages for planners (role planner): every survey with the
 * form for a new one, a survey's page with its settings, the lifecycle
 * buttons and access codes, the printable codes, and the preview of the
 * plain form as respondents see it.
 *
 * The forms run the API's own handlers (api_survey_create, _update,
 * _open, _close, _copy, surveys_codes_step) through form_run, so every
 * check is the API's.  This file adds what a page needs: the city's
 * local times turned into the API's timestamps, a definition's problems
 * listed above its text, and which boxes are ticked.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "surveys.h"

#define PLAN_PATH	"/planung/umfragen/"

static const char *const accesses[] = { "account", "codes", "open", NULL };

/* The two times a form carries as local time (datetime-local). */
static const char *const time_fields[] = { "opens_at", "closes_at", NULL };

/* Every survey, drafts too, its times in the city's zone. */
static const char SQL_PLAN_LIST[] =
    "SELECT json_build_object('surveys', coalesce(json_agg("
    " json_build_object('id', s.id, 'title', CASE WHEN $1 = 'en' THEN"
    "  coalesce(nullif(s.definition->'title'->>'en', ''), s.title)"
    "  ELSE s.title END, 'status', s.status, 'access', s.access,"
    "  'opens', s.opens_at, 'closes', s.closes_at,"
    "  'responses', coalesce((SELECT sum(t.n) FROM survey_tallies t"
    "   WHERE t.survey_id = s.id AND t.kind = 'n'), 0))"
    " ORDER BY s.id DESC), '[]'::json)) FROM surveys s";


/* One survey as the API shows planners, its times as the form's. */
static const char SQL_PLAN_SURVEY[] =
    "SELECT survey_json(s.id, $2, true, true) || jsonb_build_object("
    " 'opens_local', to_char(s.opens_at AT TIME ZONE 'Europe/Berlin',"
    "  'YYYY-MM-DD\"T\"HH24:MI'),"
    " 'closes_local', to_char(s.closes_at AT TIME ZONE 'Europe/Berlin',"
    "  'YYYY-MM-DD\"T\"HH24:MI'),"
    " 'has_responses', EXISTS (SELECT 1 FROM survey_responses r"
    "  WHERE r.survey_id = s.id))"
    " FROM surveys s WHERE s.id = $1::bigint";

/* The city's local times as UTC: PostgreSQL knows the zone's rules. */
static const char SQL_LOCAL_TIMES[] =
    "SELECT to_char(($1::timestamp AT TIME ZONE 'Europe/Berlin')"
    " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    " to_char(($2::timestamp AT TIME ZONE 'Europe/Berlin')"
    " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

static const char *const plan_list_args[] = { "@lang", NULL };
static const char *const plan_survey_args[] = { "id", "@lang", NULL };
static const char *const local_times_args[] = { "local_opens_at",
    "local_closes_at", NULL };

static const struct db_op op_plan_list = {
	.name = "page_plan_list", .sql = SQL_PLAN_LIST, .kind = DB_READ,
	.args = plan_list_args,
};
static const struct db_op op_plan_survey = {
	.name = "page_plan_survey", .sql = SQL_PLAN_SURVEY, .kind = DB_READ,
	.args = plan_survey_args,
};
static const struct db_op op_local_times = {
	.name = "page_local_times", .sql = SQL_LOCAL_TIMES, .kind = DB_READ,
	.args = local_times_args,
};

/* What a new survey starts from: one page, one question, both languages. */
static const char starter[] =
    "{\n"
    "  \"title\": {\"default\": \"Neue Umfrage\", \"en\": \"New survey\"},\n"
    "  \"pages\": [\n"
    "    {\n"
    "      \"name\": \"seite1\",\n"
    "      \"elements\": [\n"
    "        {\n"
    "          \"type\": \"radiogroup\",\n"
    "          \"name\": \"zufriedenheit\",\n"
    "          \"title\": {\"default\": \"Wie zufrieden sind Sie?\",\n"
    "            \"en\": \"How satisfied are you?\"},\n"
    "          \"isRequired\": true,\n"
    "          \"choices\": [\n"
    "            {\"value\": \"ja\", \"text\": {\"default\": \"Zufrieden\","
    " \"en\": \"Satisfied\"}},\n"
    "            {\"value\": \"nein\", \"text\": {\"default\": "
    "\"Unzufrieden\", \"en\": \"Dissatisfied\"}}\n"
    "          ]\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ]\n"
    "}\n";

static int	list_show(struct http_request *);
static int	edit_show(struct http_request *);
static cJSON	*export_list(struct http_request *, double);

static const struct form_page create_form = {
	"planning_surveys.html", "planning_surveys", NULL, NULL, list_show
};
static const struct form_page edit_form = {
	"planning_survey.html", "planning_survey", NULL, NULL, edit_show
};
/* The small forms on a survey's page: title_key names which failed. */
static const struct form_page lifecycle_form = {
	"planning_survey.html", "lifecycle", NULL, NULL, edit_show
};
static const struct form_page codes_form = {
	"planning_survey.html", "codes", NULL, NULL, edit_show
};

static const char *
plan_id(struct http_request *req)
{
	return (params_get(&rq_get(req)->params, "id"));
}

/* ---- local times ---- */

static int
days_in(int y, int m)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return (29);
	return (days[m - 1]);
}

/*
 * "2027-03-01T08:00" (or with ":30" seconds), as a datetime-local field
 * sends it, on a day that exists (PostgreSQL would fail the statement on
 * 30 February); years before 2000 are typos, not survey dates.
 */
static int
local_time_ok(const char *s)
{
	static const char	shape[] = "dddd-dd-ddTdd:dd:dd";
	int			y, mo, d, h, mi, sec;
	size_t			i, len;

	len = strlen(s);
	if (len != sizeof(shape) - 4 && len != sizeof(shape) - 1)
		return (0);
	for (i = 0; i < len; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != shape[i])
			return (0);
	}
	y = atoi(s);
	mo = atoi(s + 5);
	d = atoi(s + 8);
	h = atoi(s + 11);
	mi = atoi(s + 14);
	sec = len > 16 ? atoi(s + 17) : 0;
	return (y >= 2000 && mo >= 1 && mo <= 12 && d >= 1 &&
	    d <= days_in(y, mo) && h <= 23 && mi <= 59 && sec <= 59);
}

static void
form_replace(struct param_set *form, const char *name, const char *value)
{
	int	i;

	for (i = 0; i < form->count; i++) {
		if (strcmp(form->items[i].name, name) != 0)
			continue;
		free(form->items[i].value);
		if ((form->items[i].value = strdup(value)) == NULL)
			fatal("form_replace: out of memory");
	}
}

/*
 * The form's local times become the API's timestamps (UTC) in the form
 * itself, before the API's handler reads it; what was typed is kept in
 * "typed_<field>" for the form shown again.  A value that is no local
 * time stays as it is, and the API names it.
 */
static enum db_status
local_times(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	const char	*v;
	char		name[32];
	int		i, any;

	if (params_get(&rq->vars, "times_done") != NULL)
		return (DB_DONE);
	for (i = 0, any = 0; time_fields[i] != NULL; i++) {
		(void)snprintf(name, sizeof(name), "local_%s", time_fields[i]);
		v = params_get(&rq->form, time_fields[i]);
		if (v == NULL || !local_time_ok(v))
			continue;
		if (params_get(&rq->vars, name) == NULL)
			rq_var_set(req, name, v);
		any = 1;
	}
	if (any) {
		if ((s = db_step(req, &op_local_times, &res)) != DB_DONE)
			return (s);
		for (i = 0; time_fields[i] != NULL; i++) {
			(void)snprintf(name, sizeof(name), "local_%s",
			    time_fields[i]);
			if ((v = params_get(&rq->vars, name)) == NULL ||
			    PQgetisnull(res, 0, i))
				continue;
			(void)snprintf(name, sizeof(name), "typed_%s",
			    time_fields[i]);
			rq_var_set(req, name, v);
			form_replace(&rq->form, time_fields[i],
			    PQgetvalue(res, 0, i));
		}
	}
	rq_var_set(req, "times_done", "1");
	return (DB_DONE);
}

/* ---- what the forms show ---- */

/* Ticks the entries of a list whose slug the form (or survey) names. */
static void
tick(struct http_request *req, cJSON *list, const char *prefix,
    const cJSON *chosen)
{
	const cJSON	*c;
	cJSON		*e;
	const char	*slug;
	char		name[96];
	int		on;

	cJSON_ArrayForEach(e, list) {
		if ((slug = json_str(e, "slug")) == NULL)
			continue;
		on = 0;
		if (chosen == NULL) {
			(void)snprintf(name, sizeof(name), "%s%s", prefix,
			    slug);
			on = params_get(&rq_get(req)->form, name) != NULL;
		} else {
			cJSON_ArrayForEach(c, chosen) {
				if (json_str(c, "slug") != NULL &&
				    strcmp(json_str(c, "slug"), slug) == 0)
					on = 1;
			}
		}
		cJSON_AddBoolToObject(e, "checked", on);
	}
}

/*
 * The settings part of both forms: access modes with their explanation,
 * the taxonomy to tag with.  survey NULL: ticked as the form sent them.
 */
static void
settings_data(struct http_request *req, cJSON *data, PGresult *tax_res,
    const cJSON *survey, const char *access)
{
	cJSON		*tax, *list, *e;
	int		i;

	list = cJSON_AddArrayToObject(data, "accesses");
	for (i = 0; accesses[i] != NULL; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "slug", accesses[i]);
		cJSON_AddStringToObject(e, "label", page_text(req,
		    "planning_access", accesses[i]));
		cJSON_AddStringToObject(e, "hint", page_text(req,
		    "planning_access_hint", accesses[i]));
		cJSON_AddBoolToObject(e, "checked", access != NULL &&
		    strcmp(access, accesses[i]) == 0);
		cJSON_AddItemToArray(list, e);
	}
	if ((tax = db_json(tax_res)) == NULL)
		tax = cJSON_CreateObject();
	tick(req, cJSON_GetObjectItemCaseSensitive(tax, "fields"), "field-",
	    cJSON_GetObjectItemCaseSensitive(survey, "fields"));
	tick(req, cJSON_GetObjectItemCaseSensitive(tax, "districts"),
	    "district-", cJSON_GetObjectItemCaseSensitive(survey,
	    "districts"));
	tick(req, cJSON_GetObjectItemCaseSensitive(tax, "goals"), "goal-",
	    cJSON_GetObjectItemCaseSensitive(survey, "goals"));
	cJSON_AddItemToObject(data, "tax", tax);
}

/*
 * A definition the API refused: every problem with its JSON Pointer
 * above the text (the var "problems"), and why in plain words.
 */
static void
problems_data(struct http_request *req, cJSON *data)
{
	const char	*v, *code;
	cJSON		*doc, *list, *e;

	if ((v = params_get(&rq_get(req)->vars, "problems")) == NULL ||
	    (doc = cJSON_Parse(v)) == NULL)
		return;
	code = json_str(doc, "code");
	list = cJSON_DetachItemFromObjectCaseSensitive(doc, "problems");
	cJSON_ArrayForEach(e, list) {
		if ((v = json_str(e, "path")) != NULL && *v == '\0')
			cJSON_ReplaceItemInObjectCaseSensitive(e, "path",
			    cJSON_CreateString("/"));
		if ((v = json_str(e, "reason")) != NULL)
			cJSON_AddStringToObject(e, "text",
			    page_text(req, "reasons", v));
	}
	cJSON_AddItemToObject(data, "problems", list);
	cJSON_AddBoolToObject(data, "has_problems",
	    cJSON_GetArraySize(list) > 0);
	if (code != NULL)
		cJSON_AddStringToObject(data, "problems_intro",
		    page_text(req, "planning_problems", code));
	if (json_num(doc, "more_problems") > 0)
		cJSON_AddNumberToObject(data, "more_problems",
		    json_num(doc, "more_problems"));
	cJSON_Delete(doc);
}

/* The form as it was sent, with what was typed in the time fields. */
static cJSON *
sent_state(struct http_request *req, cJSON *data, const char *prefix)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	*fe = rq->resume_fe;
	cJSON			*f;
	const char		*v;
	char			name[32];
	int			i;

	/* No title field: the survey's title is the definition's. */
	for (i = 0; fe != NULL && i < fe->count; i++) {
		if (strcmp(fe->items[i].field, "title") == 0)
			(void)snprintf(fe->items[i].field,
			    sizeof(fe->items[i].field), "definition");
	}
	f = form_state(req, data, prefix);
	for (i = 0; time_fields[i] != NULL; i++) {
		(void)snprintf(name, sizeof(name), "typed_%s", time_fields[i]);
		if ((v = params_get(&rq->vars, name)) != NULL)
			cJSON_ReplaceItemInObjectCaseSensitive(f,
			    time_fields[i], cJSON_CreateString(v));
	}
	if ((v = params_get(&rq->form, "crosstab-a")) != NULL)
		cJSON_AddStringToObject(f, "xa", v);
	if ((v = params_get(&rq->form, "crosstab-b")) != NULL)
		cJSON_AddStringToObject(f, "xb", v);
	cJSON_AddBoolToObject(f, "public",
	    params_get(&rq->form, "results_public") != NULL);
	return (f);
}

/* ---- the list and the new survey ---- */

static int
list_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res, *tax;
	enum db_status	s;
	cJSON		*data, *list, *e, *f;
	const char	*st;
	int		again;

	/* Read as the desk writes times: "2. Dezember 2026, 22:07". */
	if ((s = db_step(req, &op_plan_list, &res)) != DB_DONE ||
	    (s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE)
		return (db_yield(s));
	if ((list = db_json(res)) == NULL)
		return (respond_error(req, 500, NULL, NULL, NULL));
	again = rq->form_again && rq->form_page == &create_form;
	data = form_data(req, "planning_surveys");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(list,
	    "surveys")) {
		page_label(req, e, "status", "planning_status");
		page_label(req, e, "access", "planning_access");
		st = json_str(e, "status");
		cJSON_AddBoolToObject(e, "has_results", st != NULL &&
		    strcmp(st, "draft") != 0);
		cJSON_AddItemToObject(e, "exports", export_list(req,
		    json_num(e, "id")));
		page_date(req, e, "opens");
		page_date(req, e, "closes");
	}
	cJSON_AddItemToObject(data, "list", list);
	if (again) {
		f = sent_state(req, data, "");
		problems_data(req, data);
	} else {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "definition", starter);
		cJSON_AddStringToObject(f, "access", "account");
	}
	settings_data(req, data, tax, NULL, json_str(f, "access"));
	cJSON_AddItemToObject(data, "f", f);
	return (form_render(req, data, "planning_surveys.html"));
}

/* GET /planung/umfragen */
int
page_planning_surveys(struct http_request *req)
{
	return (form_blank(req, &create_form));
}

/* POST /planung/umfragen: the API creates it; then its own page. */
int
page_planning_create(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	enum db_status	s;

	if ((s = local_times(req)) != DB_DONE)
		return (db_yield(s));
	if (params_get(&rq->vars, "created_page") == NULL)
		rq_var_set(req, "created_page", PLAN_PATH);
	return (form_run(req, &create_form, api_survey_create));
}

/* ---- one survey ---- */

static int
choice_question(enum survey_qtype t)
{
	return (t == SQ_RADIOGROUP || t == SQ_DROPDOWN || t == SQ_CHECKBOX ||
	    t == SQ_RATING);
}

/* The questions a cross-tabulation may use, the chosen ones selected. */
static cJSON *
crosstab_choices(const cJSON *survey, const char *chosen, enum lang l)
{
	struct survey_problems	p;
	struct survey_def	*def;
	const struct survey_text *t;
	cJSON			*list, *e;
	int			i;

	list = cJSON_CreateArray();
	memset(&p, 0, sizeof(p));
	def = survey_parse(cJSON_GetObjectItemCaseSensitive(survey,
	    "definition"), &p);
	for (i = 0; def != NULL && i < def->nquestions; i++) {
		if (!choice_question(def->questions[i].type))
			continue;
		t = &def->questions[i].title;
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", def->questions[i].name);
		/* A question without a title shows its name once. */
		if (strcmp(l == LANG_EN ? t->en : t->de,
		    def->questions[i].name) != 0)
			cJSON_AddStringToObject(e, "label", l == LANG_EN ?
			    t->en : t->de);
		cJSON_AddBoolToObject(e, "selected", chosen != NULL &&
		    strcmp(chosen, def->questions[i].name) == 0);
		cJSON_AddItemToArray(list, e);
	}
	survey_free(def);
	return (list);
}

/* The form's fields as the stored survey has them. */
static cJSON *
stored_state(const cJSON *survey)
{
	const cJSON	*x;
	cJSON		*f;
	char		*text;

	f = cJSON_CreateObject();
	text = cJSON_Print(cJSON_GetObjectItemCaseSensitive(survey,
	    "definition"));
	cJSON_AddStringToObject(f, "definition", text != NULL ? text : "");
	cJSON_free(text);
	if (json_str(survey, "access") != NULL)
		cJSON_AddStringToObject(f, "access", json_str(survey,
		    "access"));
	if (json_str(survey, "opens_local") != NULL)
		cJSON_AddStringToObject(f, "opens_at", json_str(survey,
		    "opens_local"));
	if (json_str(survey, "closes_local") != NULL)
		cJSON_AddStringToObject(f, "closes_at", json_str(survey,
		    "closes_local"));
	cJSON_AddBoolToObject(f, "public", json_true(survey,
	    "results_public"));
	cJSON_AddNumberToObject(f, "version", json_num(survey, "version"));
	x = cJSON_GetObjectItemCaseSensitive(survey, "crosstab");
	if (json_str(x, "a") != NULL && json_str(x, "b") != NULL) {
		cJSON_AddStringToObject(f, "xa", json_str(x, "a"));
		cJSON_AddStringToObject(f, "xb", json_str(x, "b"));
	}
	return (f);
}

/* The export downloads of survey id (export.c answers them). */
static cJSON *
export_list(struct http_request *req, double id)
{
	static const char *const formats[] = { "csv", "csv&dialect=excel-de",
	    "spss", "r", "json", "codebook", NULL };
	static const char *const labels[] = { "csv", "csv_excel", "spss", "r",
	    "json", "codebook", NULL };
	cJSON		*list, *e;
	char		url[160];
	int		i;

	list = cJSON_CreateArray();
	for (i = 0; formats[i] != NULL; i++) {
		e = cJSON_CreateObject();
		(void)snprintf(url, sizeof(url),
		    "/api/v1/surveys/%.0f/export?format=%s", id, formats[i]);
		cJSON_AddStringToObject(e, "href", url);
		cJSON_AddStringToObject(e, "label", page_text(req,
		    "planning_exports", labels[i]));
		cJSON_AddItemToArray(list, e);
	}
	return (list);
}

/* What a survey's page offers in its state. */
static void
survey_actions(struct http_request *req, cJSON *data, const cJSON *survey)
{
	const char	*st, *access;

	st = json_str(survey, "status");
	access = json_str(survey, "access");
	cJSON_AddItemToObject(data, "exports", export_list(req,
	    json_num(survey, "id")));
	cJSON_AddBoolToObject(data, "can_open", st != NULL &&
	    strcmp(st, "draft") == 0);
	cJSON_AddBoolToObject(data, "can_close", st != NULL &&
	    strcmp(st, "open") == 0);
	cJSON_AddBoolToObject(data, "takes_codes", access != NULL &&
	    strcmp(access, "codes") == 0);
	cJSON_AddBoolToObject(data, "has_results", st != NULL &&
	    strcmp(st, "draft") != 0);
}

static int
edit_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res, *tax;
	enum db_status	s;
	cJSON		*data, *survey, *f, *sent;
	char		key[24];
	int		again;

	if ((s = db_step(req, &op_plan_survey, &res)) != DB_DONE ||
	    (s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE)
		return (db_yield(s));
	if ((survey = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	again = rq->form_again && rq->form_page == &edit_form;
	data = form_data(req, "planning_survey");
	cJSON_ReplaceItemInObjectCaseSensitive(data, "title",
	    cJSON_CreateString(rq->lang == LANG_EN &&
	    json_str(survey, "title_en") != NULL ?
	    json_str(survey, "title_en") : json_str(survey, "title")));
	page_label(req, survey, "status", "planning_status");
	page_label(req, survey, "access", "planning_access");
	/* Every failed form fills the summary; its own fields come back. */
	sent = rq->form_again ? sent_state(req, data, "") : NULL;
	if (again) {
		f = sent;
		problems_data(req, data);
	} else {
		cJSON_Delete(sent);
		f = stored_state(survey);
		if (rq->form_again && rq->form_page != NULL) {
			(void)snprintf(key, sizeof(key), "failed_%s",
			    rq->form_page->title_key);
			cJSON_AddBoolToObject(data, key, 1);
			if (rq->form_page == &codes_form &&
			    params_get(&rq->form, "count") != NULL)
				cJSON_AddStringToObject(data, "count_sent",
				    params_get(&rq->form, "count"));
		}
	}
	settings_data(req, data, tax, again ? NULL : survey,
	    json_str(f, "access"));
	cJSON_AddItemToObject(data, "xa", crosstab_choices(survey,
	    json_str(f, "xa"), rq->lang));
	cJSON_AddItemToObject(data, "xb", crosstab_choices(survey,
	    json_str(f, "xb"), rq->lang));
	survey_actions(req, data, survey);
	cJSON_AddBoolToObject(data, "edit", 1);
	cJSON_AddBoolToObject(data, "version_conflict", again &&
	    json_str(cJSON_GetObjectItemCaseSensitive(f, "errors"),
	    "version") != NULL);
	cJSON_AddItemToObject(data, "f", f);
	cJSON_AddItemToObject(data, "survey", survey);
	return (form_render(req, data, "planning_survey.html"));
}

/* GET /planung/umfragen/{id} */
int
page_planning_survey(struct http_request *req)
{
	return (form_blank(req, &edit_form));
}

/* Back to the survey's page after a form on it. */
static void
back_to_survey(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (params_get(&rq->vars, "redirect") == NULL)
		rq_var_setf(req, "redirect", "%s%s?lang=%s", PLAN_PATH,
		    plan_id(req), lang_code(rq->lang));
}

/*
 * Someone else saved since the form was loaded: the form again with what
 * was typed and the current version, so that saving once more (after the
 * warning) replaces theirs.  The API checks the version again under a
 * lock; a change in between gets its 409 page.
 */
static int
save_checked(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;
	const char		*sent;
	cJSON			*survey;
	char			now[24];

	if (params_get(&rq->vars, "version_checked") == NULL) {
		if ((s = db_step(req, &op_plan_survey, &res)) != DB_DONE)
			return (db_yield(s));
		if ((survey = db_json(res)) == NULL)
			return (respond_error(req, 404, NULL, NULL, NULL));
		(void)snprintf(now, sizeof(now), "%.0f",
		    json_num(survey, "version"));
		cJSON_Delete(survey);
		rq_var_set(req, "version_checked", now);
		sent = params_get(&rq->form, "version");
		if (sent != NULL && strcmp(sent, now) != 0) {
			memset(&fe, 0, sizeof(fe));
			error_field_add(&fe, "version", "the survey was "
			    "changed meanwhile: load it again");
			form_replace(&rq->form, "version", now);
			return (respond_fields(req, 409, &fe));
		}
	}
	return (api_survey_update(req));
}

/* POST /planung/umfragen/{id}: the API saves (version from the form). */
int
page_planning_save(struct http_request *req)
{
	enum db_status	s;

	if ((s = local_times(req)) != DB_DONE)
		return (db_yield(s));
	back_to_survey(req);
	return (form_run(req, &edit_form, save_checked));
}

/* POST /planung/umfragen/{id}/oeffnen */
int
page_planning_open(struct http_request *req)
{
	back_to_survey(req);
	return (form_run(req, &lifecycle_form, api_survey_open));
}

/* POST /planung/umfragen/{id}/schliessen */
int
page_planning_close(struct http_request *req)
{
	back_to_survey(req);
	return (form_run(req, &lifecycle_form, api_survey_close));
}

/* POST /planung/umfragen/{id}/kopieren: then the copy's own page. */
int
page_planning_copy(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (params_get(&rq->vars, "created_page") == NULL)
		rq_var_set(req, "created_page", PLAN_PATH);
	return (form_run(req, &lifecycle_form, api_survey_copy));
}

/* ---- access codes ---- */

/*
 * The codes as a page to print: one card each, with the survey's title
 * and address.  Shown this once: only their hashes are stored.
 */
static int
codes_page(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	const char	*codes;
	cJSON		*data, *survey, *list;
	char		url[CONFIG_PATH_MAX + 64], one[32];
	size_t		n;

	if ((s = db_step(req, &op_plan_survey, &res)) != DB_DONE)
		return (db_yield(s));
	if ((survey = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	if ((s = surveys_codes_step(req, &codes)) != DB_DONE) {
		cJSON_Delete(survey);
		return (db_yield(s));
	}
	data = page_new(req, "survey_codes");
	cJSON_AddStringToObject(data, "survey_title", rq->lang == LANG_EN &&
	    json_str(survey, "title_en") != NULL ? json_str(survey,
	    "title_en") : json_str(survey, "title"));
	(void)snprintf(url, sizeof(url), "%s/umfragen/%s",
	    mw_config.public_url, plan_id(req));
	cJSON_AddStringToObject(data, "url", url);
	(void)snprintf(url, sizeof(url), "%s%s?lang=%s", PLAN_PATH,
	    plan_id(req), lang_code(rq->lang));
	cJSON_AddStringToObject(data, "back", url);
	list = cJSON_AddArrayToObject(data, "codes");
	while (codes != NULL && *codes != '\0') {
		n = strcspn(codes, ",");
		(void)snprintf(one, sizeof(one), "%.*s", (int)n, codes);
		cJSON_AddItemToArray(list, cJSON_CreateString(one));
		codes += n + (codes[n] == ',');
	}
	cJSON_AddNumberToObject(data, "count", cJSON_GetArraySize(list));
	cJSON_Delete(survey);
	http_response_header(req, "cache-control", "no-store");
	return (page_with(req, 201, data, "planning_codes.html"));
}

/*
 * POST /planung/umfragen/{id}/codes: a page to print, or (?format=csv,
 * the form's second button) the API's CSV download.
 */
int
page_planning_codes(struct http_request *req)
{
	const char	*fmt;

	fmt = params_get(&rq_get(req)->params, "format");
	if (fmt != NULL && strcmp(fmt, "csv") == 0)
		return (form_run(req, &codes_form, api_survey_codes));
	return (form_run(req, &codes_form, codes_page));
}

/* ---- preview ---- */

/*
 * GET /planung/umfragen/{id}/vorschau?seite=N: page N of the plain form
 * of any survey, drafts too, as respondents see it; nothing to send,
 * the pages linked instead.
 */
int
page_planning_preview(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct survey_problems	p;
	struct survey_def	*def;
	PGresult		*res;
	enum db_status		s;
	const char		*v;
	cJSON			*data, *survey, *answers, *sum;
	char			url[128];
	int			page;

	if ((s = db_step(req, &op_plan_survey, &res)) != DB_DONE)
		return (db_yield(s));
	if ((survey = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	memset(&p, 0, sizeof(p));
	def = survey_parse(cJSON_GetObjectItemCaseSensitive(survey,
	    "definition"), &p);
	if (def == NULL) {
		cJSON_Delete(survey);
		return (respond_error(req, 500, NULL, NULL, NULL));
	}
	v = params_get(&rq->params, "seite");
	page = v != NULL ? atoi(v) - 1 : 0;
	if (page < 0 || page >= def->npages)
		page = 0;
	answers = cJSON_CreateObject();
	data = page_new(req, "survey");
	v = rq->lang == LANG_EN ? def->title.en : def->title.de;
	cJSON_ReplaceItemInObjectCaseSensitive(data, "title",
	    cJSON_CreateString(v));
	sum = cJSON_AddObjectToObject(data, "survey");
	cJSON_AddNumberToObject(sum, "id", json_num(survey, "id"));
	cJSON_AddStringToObject(sum, "title", v);
	v = rq->lang == LANG_EN ? def->description.en : def->description.de;
	if (*v != '\0')
		cJSON_AddStringToObject(sum, "description", v);
	cJSON_AddItemToObject(data, "form", survey_form_data(def, page,
	    answers, NULL, rq->lang));
	cJSON_AddBoolToObject(data, "preview", 1);
	cJSON_AddBoolToObject(data, "first_visit", page == 0);
	if (page > 0) {
		(void)snprintf(url, sizeof(url),
		    "%s%s/vorschau?seite=%d&lang=%s", PLAN_PATH, plan_id(req),
		    page, lang_code(rq->lang));
		cJSON_AddStringToObject(data, "preview_back", url);
	}
	if (page + 1 < def->npages) {
		(void)snprintf(url, sizeof(url),
		    "%s%s/vorschau?seite=%d&lang=%s", PLAN_PATH, plan_id(req),
		    page + 2, lang_code(rq->lang));
		cJSON_AddStringToObject(data, "preview_next", url);
	}
	(void)snprintf(url, sizeof(url), "%s%s?lang=%s", PLAN_PATH,
	    plan_id(req), lang_code(rq->lang));
	cJSON_AddStringToObject(data, "preview_edit", url);
	cJSON_Delete(answers);
	survey_free(def);
	cJSON_Delete(survey);
	return (page_with(req, 200, data, "survey_form.html"));
}
