/*
 * The project registry as HTML: the public list (/projekte, filters by
 * field, goal and status) and Steckbrief (/projekte/{id}) with each
 * success criterion's values against its target and its verdict; the
 * planners' pages (/planung/projekte) with plain forms that run the API's
 * handlers (form_run), so every check and write is the API's.
 */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "projects.h"

#define PLAN_PATH	"/planung/projekte/"

/* The departments a project may name, for the Steckbrief's select. */
static const char SQL_DEPARTMENTS[] =
    "SELECT coalesce(json_agg(json_build_object('slug', slug, 'name',"
    " CASE WHEN $1 = 'en' THEN name_en ELSE name_de END)"
    " ORDER BY CASE WHEN $1 = 'en' THEN name_en ELSE name_de END), '[]')"
    " FROM departments";
static const char *const departments_args[] = { "@lang", NULL };
static const struct db_op op_departments = {
	.name = "project_departments", .sql = SQL_DEPARTMENTS,
	.kind = DB_READ, .args = departments_args,
};

static int	list_show(struct http_request *);
static int	edit_show(struct http_request *);

static const struct form_page create_form = {
	"planning_projects.html", "planning_projects", NULL, NULL, list_show
};
static const struct form_page edit_form = {
	"planning_project.html", "planning_project", NULL, NULL, edit_show
};
/* The smaller forms on a project's page: title_key names which failed. */
static const struct form_page status_form = {
	"planning_project.html", "project_status", NULL, NULL, edit_show
};
static const struct form_page criterion_form = {
	"planning_project.html", "project_criterion", NULL, NULL, edit_show
};
static const struct form_page measurement_form = {
	"planning_project.html", "project_measurement", NULL, NULL, edit_show
};

/*
 * A criterion's line chart (chart.c): its values, the planned path at the
 * same dates, and the target as a dashed line; suppressed values are
 * gaps.  The table beside it carries the same numbers.
 */
static void
criterion_chart(struct http_request *req, cJSON *c)
{
	struct chart_series	series[2];
	struct chart		ch;
	struct progress_plan	plan;
	struct strbuf		svg;
	const cJSON		*list, *e, *v;
	const char		**labels;
	double			*x, *vals, *path, target;
	unsigned char		*hidden;
	char			id[32], desc[160];
	long			day;
	int			n, cap;

	list = cJSON_GetObjectItemCaseSensitive(c, "series");
	if ((cap = cJSON_GetArraySize(list)) == 0 ||
	    !progress_day(json_str(c, "baseline_on"), &plan.baseline_day) ||
	    !progress_day(json_str(c, "target_on"), &plan.target_day))
		return;
	plan.baseline = json_num(c, "baseline");
	plan.target = target = json_num(c, "target");
	labels = kore_calloc((size_t)cap, sizeof(*labels));
	x = kore_calloc((size_t)cap * 3, sizeof(*x));
	vals = x + cap;
	path = vals + cap;
	hidden = kore_calloc((size_t)cap, 1);
	n = 0;
	cJSON_ArrayForEach(e, list) {
		if (!progress_day(json_str(e, "measured_on"), &day))
			continue;
		v = cJSON_GetObjectItemCaseSensitive(e, "value");
		labels[n] = json_str(e, "measured_on_date");
		x[n] = (double)day;
		vals[n] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
		hidden[n] = !cJSON_IsNumber(v);
		path[n] = day <= plan.baseline_day ? plan.baseline :
		    day >= plan.target_day ? plan.target : plan.baseline +
		    (plan.target - plan.baseline) * (double)(day -
		    plan.baseline_day) / (double)(plan.target_day -
		    plan.baseline_day);
		n++;
	}
	(void)snprintf(id, sizeof(id), "kriterium-%.0f", json_num(c, "id"));
	(void)snprintf(desc, sizeof(desc), "%s", page_text(req, "projects",
	    "chart_desc"));
	memset(series, 0, sizeof(series));
	series[0].name = page_text(req, "projects", "chart_values");
	series[0].v = vals;
	series[0].hidden = hidden;
	series[1].name = page_text(req, "projects", "chart_path");
	series[1].v = path;
	memset(&ch, 0, sizeof(ch));
	ch.id = id;
	ch.title = json_str(c, "name");
	ch.desc = desc;
	ch.labels = labels;
	ch.x = x;
	ch.npoints = n;
	ch.series = series;
	ch.nseries = 2;
	ch.target = &target;
	ch.target_label = page_text(req, "projects", "chart_target");
	ch.hidden = page_text(req, "projects", "suppressed");
	ch.decimals = 2;
	ch.lang = rq_get(req)->lang;
	strbuf_init(&svg, 4096);
	if (n > 0)
		chart_lines(&svg, &ch);
	cJSON_AddItemToObject(c, "chart", cJSON_CreateRaw(svg.data));
	strbuf_free(&svg);
	kore_free(labels);
	kore_free(x);
	kore_free(hidden);
}

/* Words for a project's codes: status, and each criterion's verdict. */
static void
project_labels(struct http_request *req, cJSON *p)
{
	cJSON	*c, *e, *prog;

	page_label(req, p, "status", "project_statuses");
	page_date(req, p, "starts_on");
	page_date(req, p, "ends_on");
	page_amount(req, p, "budget_eur");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p, "history")) {
		page_label(req, e, "status", "project_statuses");
		page_date(req, e, "at");
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p, "ideas"))
		page_label(req, e, "status", "statuses");
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(p,
	    "criteria")) {
		page_date(req, c, "baseline_on");
		page_date(req, c, "target_on");
		page_label(req, c, "derivation", "project_derivations");
		prog = cJSON_GetObjectItemCaseSensitive(c, "progress");
		page_label(req, prog, "verdict", "project_verdicts");
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(c,
		    "series"))
			page_date(req, e, "measured_on");
		cJSON_AddBoolToObject(c, "manual",
		    strcmp(json_str(c, "derivation"), "manual") == 0);
		criterion_chart(req, c);
	}
}

/* Each taxonomy entry of a list (fields, goals) marked when chosen. */
static void
mark_chosen(cJSON *choices, const cJSON *chosen, const char *selected)
{
	cJSON		*e;
	const cJSON	*c;
	int		on;

	cJSON_ArrayForEach(e, choices) {
		on = selected != NULL && strcmp(selected, json_str(e,
		    "slug")) == 0;
		cJSON_ArrayForEach(c, chosen) {
			if (strcmp(json_str(c, "slug"), json_str(e, "slug")) ==
			    0)
				on = 1;
		}
		cJSON_AddBoolToObject(e, "chosen", on);
	}
}

/* ------------------------------------------------------------ public */

/* GET /projekte */
int
page_projects(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res, *tax;
	enum db_status	s;
	cJSON		*data, *list, *e, *choices, *st;
	const char	*const *v;
	const char	*status;

	if ((s = db_step(req, &op_projects, &res)) != DB_DONE ||
	    (s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE)
		return (db_yield(s));
	if ((list = db_json(res)) == NULL || (choices = db_json(tax)) == NULL)
		return (respond_error(req, 500, NULL, NULL, NULL));
	data = page_new(req, "projects");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(list,
	    "projects"))
		page_label(req, e, "status", "project_statuses");
	mark_chosen(cJSON_GetObjectItemCaseSensitive(choices, "fields"), NULL,
	    params_get(&rq->params, "field"));
	mark_chosen(cJSON_GetObjectItemCaseSensitive(choices, "goals"), NULL,
	    params_get(&rq->params, "goal"));
	status = params_get(&rq->params, "status");
	st = cJSON_AddArrayToObject(data, "statuses");
	for (v = projects_statuses; *v != NULL; v++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "slug", *v);
		cJSON_AddStringToObject(e, "name", page_text(req,
		    "project_statuses", *v));
		cJSON_AddBoolToObject(e, "chosen", status != NULL &&
		    strcmp(status, *v) == 0);
		cJSON_AddItemToArray(st, e);
	}
	cJSON_AddItemToObject(data, "choices", choices);
	cJSON_AddItemToObject(data, "list", list);
	return (page_with(req, 200, data, "projects.html"));
}

/* GET /projekte/{id} */
int
page_project(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *p;

	if ((s = db_step(req, &op_project, &res)) != DB_DONE)
		return (db_yield(s));
	if ((p = projects_json(res)) == NULL)
		return (respond_not_found(req));
	project_labels(req, p);
	data = page_new(req, "project");
	cJSON_ReplaceItemInObjectCaseSensitive(data, "title",
	    cJSON_CreateString(json_str(p, "title")));
	cJSON_AddItemToObject(data, "project", p);
	return (page_with(req, 200, data, "project.html"));
}

/* ------------------------------------------------------------ planners */

/* The Steckbrief's fields as a form shows them (ids as "1, 2"). */
static cJSON *
stored_state(const cJSON *p)
{
	static const char *const texts[] = { "title_de", "title_en",
	    "summary_de", "summary_en", "partners", "starts_on", "ends_on",
	    NULL };
	const char	*const *t;
	const cJSON	*e;
	cJSON		*f;
	char		buf[32];
	struct strbuf	ids;

	f = cJSON_CreateObject();
	cJSON_AddObjectToObject(f, "errors");
	for (t = texts; *t != NULL; t++) {
		if (json_str(p, *t) != NULL)
			cJSON_AddStringToObject(f, *t, json_str(p, *t));
	}
	if ((e = cJSON_GetObjectItemCaseSensitive(p, "department")) != NULL &&
	    json_str(e, "slug") != NULL)
		cJSON_AddStringToObject(f, "department", json_str(e, "slug"));
	if (cJSON_IsNumber(e = cJSON_GetObjectItemCaseSensitive(p,
	    "budget_eur"))) {
		(void)snprintf(buf, sizeof(buf), "%.2f", e->valuedouble);
		cJSON_AddStringToObject(f, "budget_eur", buf);
	}
	(void)snprintf(buf, sizeof(buf), "%.0f", json_num(p, "version"));
	cJSON_AddStringToObject(f, "version", buf);
	strbuf_init(&ids, 32);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p, "idea_ids"))
		strbuf_appendf(&ids, "%s%.0f", ids.len ? ", " : "",
		    e->valuedouble);
	cJSON_AddStringToObject(f, "idea_ids", ids.data);
	strbuf_reset(&ids);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p,
	    "survey_ids"))
		strbuf_appendf(&ids, "%s%.0f", ids.len ? ", " : "",
		    e->valuedouble);
	cJSON_AddStringToObject(f, "survey_ids", ids.data);
	strbuf_free(&ids);
	return (f);
}

/* The sent form's checkboxes ("field-<slug>") as chosen lists. */
static cJSON *
sent_chosen(struct http_request *req, const char *prefix)
{
	struct rq	*rq = rq_get(req);
	cJSON		*list, *e;
	size_t		plen;
	int		i;

	list = cJSON_CreateArray();
	plen = strlen(prefix);
	for (i = 0; i < rq->form.count; i++) {
		if (strncmp(rq->form.items[i].name, prefix, plen) != 0)
			continue;
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "slug",
		    rq->form.items[i].name + plen);
		cJSON_AddItemToArray(list, e);
	}
	return (list);
}

/* Fields and goals to tick, from what was sent or what is stored. */
static void
choices_data(struct http_request *req, cJSON *data, PGresult *tax,
    PGresult *depts, const cJSON *p, const cJSON *f, int again)
{
	cJSON	*choices, *fields, *goals, *d;

	if ((choices = db_json(tax)) == NULL)
		choices = cJSON_CreateObject();
	if ((d = db_json(depts)) == NULL)
		d = cJSON_CreateArray();
	page_mark(d, "slug", json_str(f, "department"), "selected");
	cJSON_AddItemToObject(choices, "departments", d);
	fields = again ? sent_chosen(req, "field-") :
	    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(p, "fields"), 1);
	goals = again ? sent_chosen(req, "goal-") :
	    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(p, "goals"), 1);
	mark_chosen(cJSON_GetObjectItemCaseSensitive(choices, "fields"),
	    fields, NULL);
	mark_chosen(cJSON_GetObjectItemCaseSensitive(choices, "goals"), goals,
	    NULL);
	cJSON_Delete(fields);
	cJSON_Delete(goals);
	cJSON_AddItemToObject(data, "choices", choices);
}

static int
list_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res, *tax, *depts;
	enum db_status	s;
	cJSON		*data, *list, *e, *f;
	int		again;

	if ((s = db_step(req, &op_projects, &res)) != DB_DONE ||
	    (s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE ||
	    (s = db_step(req, &op_departments, &depts)) != DB_DONE)
		return (db_yield(s));
	if ((list = db_json(res)) == NULL)
		return (respond_error(req, 500, NULL, NULL, NULL));
	again = rq->form_again && rq->form_page == &create_form;
	data = form_data(req, "planning_projects");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(list,
	    "projects"))
		page_label(req, e, "status", "project_statuses");
	cJSON_AddItemToObject(data, "list", list);
	f = again ? form_state(req, data, "") : cJSON_CreateObject();
	choices_data(req, data, tax, depts, NULL, f, again);
	cJSON_AddItemToObject(data, "f", f);
	return (form_render(req, data, "planning_projects.html"));
}

/* GET /planung/projekte */
int
page_planning_projects(struct http_request *req)
{
	return (form_blank(req, &create_form));
}

/* GET /planung/projekte/neu: the list page has the form. */
int
page_planning_project_new(struct http_request *req)
{
	return (form_blank(req, &create_form));
}

/* POST /planung/projekte/neu: the API creates it; then the list. */
int
page_planning_project_new_post(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (params_get(&rq->vars, "redirect") == NULL)
		rq_var_setf(req, "redirect", "/planung/projekte?lang=%s",
		    lang_code(rq->lang));
	return (form_run(req, &create_form, api_project_create));
}

/* The ways a criterion's values come about: its form's select. */
static const char *const derivation_kinds[] = { "manual", "survey_mean",
    "defect_ack_days", "defect_resolve_days", NULL };

/*
 * A failed measurement's input and errors beside its own criterion's form
 * (each manual criterion has one): "m" of the criterion with that id.
 */
static void
measurement_state(cJSON *p, cJSON *m, const char *cid)
{
	cJSON	*c;
	char	id[32];

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(p,
	    "criteria")) {
		(void)snprintf(id, sizeof(id), "%.0f", json_num(c, "id"));
		if (strcmp(id, cid) == 0) {
			cJSON_AddItemToObject(c, "m", m);
			return;
		}
	}
	cJSON_Delete(m);
}

static int
edit_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res, *tax, *depts;
	enum db_status	s;
	cJSON		*data, *p, *f, *other, *m;
	const char	*cid;
	char		key[32], prefix[40];
	int		again;

	if ((s = db_step(req, &op_project, &res)) != DB_DONE ||
	    (s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE ||
	    (s = db_step(req, &op_departments, &depts)) != DB_DONE)
		return (db_yield(s));
	if ((p = projects_json(res)) == NULL)
		return (respond_not_found(req));
	again = rq->form_again && rq->form_page == &edit_form;
	data = form_data(req, "planning_project");
	f = stored_state(p);
	other = m = NULL;
	cid = params_get(&rq->params, "cid");
	if (again) {
		cJSON_Delete(f);
		f = form_state(req, data, "");
	} else if (rq->form_again && rq->form_page == &measurement_form &&
	    cid != NULL) {
		/* Its summary links to the fields of that criterion's form. */
		(void)snprintf(prefix, sizeof(prefix), "m-%s-", cid);
		m = form_state(req, data, prefix);
	} else if (rq->form_again && rq->form_page != NULL) {
		/* A smaller form failed: its input and errors under "g". */
		other = form_state(req, data, "g-");
		(void)snprintf(key, sizeof(key), "failed_%s",
		    rq->form_page->title_key);
		cJSON_AddBoolToObject(data, key, 1);
	}
	choices_data(req, data, tax, depts, p, f, again);
	cJSON_AddItemToObject(data, "derivations", page_choices(req,
	    derivation_kinds, "project_derivations", other != NULL ?
	    json_str(other, "derivation") : NULL));
	project_labels(req, p);
	if (m != NULL)
		measurement_state(p, m, cid);
	cJSON_AddItemToObject(data, "f", f);
	cJSON_AddItemToObject(data, "g", other != NULL ? other :
	    cJSON_CreateObject());
	cJSON_AddItemToObject(data, "project", p);
	return (form_render(req, data, "planning_project.html"));
}

/* GET /planung/projekte/{id} */
int
page_planning_project(struct http_request *req)
{
	return (form_blank(req, &edit_form));
}

/* Back to the project's page after a form on it. */
static void
back_to_project(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (params_get(&rq->vars, "redirect") == NULL)
		rq_var_setf(req, "redirect", "%s%s?lang=%s", PLAN_PATH,
		    params_get(&rq->params, "id"), lang_code(rq->lang));
}

/* POST /planung/projekte/{id}: the API saves (version from the form). */
int
page_planning_project_post(struct http_request *req)
{
	back_to_project(req);
	return (form_run(req, &edit_form, api_project_update));
}

/* POST /planung/projekte/{id}/status */
int
page_planning_status_post(struct http_request *req)
{
	back_to_project(req);
	return (form_run(req, &status_form, api_project_status));
}

/* POST /planung/projekte/{id}/kriterien */
int
page_planning_criterion_post(struct http_request *req)
{
	back_to_project(req);
	return (form_run(req, &criterion_form, api_criterion_create));
}

/* POST /planung/projekte/{id}/kriterien/{cid}/messungen */
int
page_planning_measurement_post(struct http_request *req)
{
	back_to_project(req);
	return (form_run(req, &measurement_form, api_measurement_create));
}
