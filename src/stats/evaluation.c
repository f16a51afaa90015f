/*
 * The evaluation report (strategy section 6) for planners: per
 * Handlungsfeld and per strategic goal the projects with their success
 * criteria and verdicts, the ideas submitted, published, accepted and
 * implemented and those taken up into projects, the surveys that ran,
 * and the median days to acknowledge and resolve defect reports, each
 * beside the preceding period of equal length with the change.
 *
 * One source of truth: every count and median comes from the forum
 * dashboard's own document (stats_dashboard_step: the same aggregates,
 * the same disclosure control), computed once for the period and once for
 * the one before; the report only arranges them.  Statistics are kept per
 * calendar month, so the report covers whole months: from the month of
 * `from` to the month of `to`.  JSON, CSV (one row per figure) and the
 * printable page (evaluation_pages.c) render one document.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"
#include "stats/stats.h"
#include "stats/evaluation.h"

/* Ten years: beyond that the months would not fit one dashboard. */
#define EVAL_MONTHS_MAX	60

static const char SQL_EVALUATION[] =
    "SELECT json_build_object("
    " 'categories', (SELECT json_object_agg(c.code, f.slug)"
    "  FROM defect_categories c LEFT JOIN fields f ON f.id = c.field_id),"
    " 'fields', (SELECT json_agg(json_build_object('slug', f.slug,"
    "  'name', CASE WHEN $3 = 'en' THEN f.name_en ELSE f.name_de END,"
    "  'projects', (SELECT coalesce(json_agg(evaluation_project("
    "   pf.project_id, $2::date, $3) ORDER BY pf.project_id), '[]')"
    "   FROM project_fields pf WHERE pf.field_id = f.id),"
    "  'taken_up', json_build_array(evaluation_taken_up('f', f.id,"
    "   $1::date, $2::date), evaluation_taken_up('f', f.id, $4::date,"
    "   $5::date)),"
    "  'surveys', evaluation_surveys('f', f.id, $1::date, $2::date))"
    "  ORDER BY f.position) FROM fields f),"
    " 'goals', (SELECT json_agg(json_build_object('slug', g.slug,"
    "  'name', CASE WHEN $3 = 'en' THEN g.name_en ELSE g.name_de END,"
    "  'group', CASE WHEN $3 = 'en' THEN gg.name_en ELSE gg.name_de END,"
    "  'projects', (SELECT coalesce(json_agg(evaluation_project("
    "   pg.project_id, $2::date, $3) ORDER BY pg.project_id), '[]')"
    "   FROM project_goals pg WHERE pg.goal_id = g.id),"
    "  'taken_up', json_build_array(evaluation_taken_up('g', g.id,"
    "   $1::date, $2::date), evaluation_taken_up('g', g.id, $4::date,"
    "   $5::date)),"
    "  'surveys', evaluation_surveys('g', g.id, $1::date, $2::date))"
    "  ORDER BY gg.position, g.position)"
    "  FROM goals g JOIN goal_groups gg ON gg.id = g.group_id))";

static const char *const evaluation_args[] = { "eval_from", "eval_to",
    "@lang", "prev_from", "prev_to", NULL };

static const struct db_op op_evaluation = {
	.name = "evaluation", .sql = SQL_EVALUATION, .kind = DB_READ,
	.args = evaluation_args, .replica = 1,
};

const char *const	evaluation_formats[] = { "json", "csv", NULL };

/* The idea metrics the report shows per Handlungsfeld. */
static const char *const idea_metrics[] = { "ideas_submitted",
	"ideas_published", "ideas_accepted", "ideas_implemented", "comments",
	"supports", "defect_reports", NULL };

/* ---- Parameters ---- */

static int
period_of(struct http_request *req, struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	struct sdate	from, to, a, b;
	char		buf[16];
	int		lo, hi, n;

	if (!schedule_parse(params_get(&rq->params, "from"), &from))
		error_field_add(fe, "from", "a date YYYY-MM-DD");
	if (!schedule_parse(params_get(&rq->params, "to"), &to))
		error_field_add(fe, "to", "a date YYYY-MM-DD");
	if (fe->count > 0)
		return (MW_ERROR);
	lo = schedule_month_index(&from);
	hi = schedule_month_index(&to);
	n = hi - lo + 1;
	if (n < 1)
		error_field_add(fe, "to", "before from");
	else if (n > EVAL_MONTHS_MAX)
		error_field_add(fe, "to", "at most 60 months after from");
	else if (from.y < 2000 || lo - n < 2000 * 12)
		error_field_add(fe, "from", "the period and the one before it "
		    "must begin in 2000 or later");
	if (fe->count > 0)
		return (MW_ERROR);
	schedule_month_start(lo, &a);
	schedule_month_end(hi, &b);
	schedule_format(&a, buf, sizeof(buf));
	rq_var_set(req, "eval_from", buf);
	schedule_format(&b, buf, sizeof(buf));
	rq_var_set(req, "eval_to", buf);
	schedule_month_start(lo - n, &a);
	schedule_month_end(lo - 1, &b);
	schedule_format(&a, buf, sizeof(buf));
	rq_var_set(req, "prev_from", buf);
	schedule_format(&b, buf, sizeof(buf));
	rq_var_set(req, "prev_to", buf);
	rq_var_setf(req, "from", "%04d-%02d", lo / 12, lo % 12 + 1);
	rq_var_setf(req, "to", "%04d-%02d", hi / 12, hi % 12 + 1);
	rq_var_setf(req, "prev_from_month", "%04d-%02d", (lo - n) / 12,
	    (lo - n) % 12 + 1);
	rq_var_setf(req, "prev_to_month", "%04d-%02d", (lo - 1) / 12,
	    (lo - 1) % 12 + 1);
	return (MW_OK);
}

/* ---- Arranging the two dashboard documents ---- */

static double
cell_n(const cJSON *counts, const char *metric)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(counts, metric);

	c = cJSON_GetObjectItemCaseSensitive(c, "n");
	return (cJSON_IsNumber(c) ? c->valuedouble : NAN);
}

/* {current, previous, change, change_pct}: null where withheld. */
static cJSON *
compare(double cur, double prev)
{
	cJSON	*o = cJSON_CreateObject();

	if (isnan(cur))
		cJSON_AddNullToObject(o, "current");
	else
		cJSON_AddNumberToObject(o, "current", cur);
	if (isnan(prev))
		cJSON_AddNullToObject(o, "previous");
	else
		cJSON_AddNumberToObject(o, "previous", prev);
	if (isnan(cur) || isnan(prev))
		cJSON_AddNullToObject(o, "change");
	else
		cJSON_AddNumberToObject(o, "change", cur - prev);
	if (isnan(cur) || isnan(prev) || prev == 0)
		cJSON_AddNullToObject(o, "change_pct");
	else
		cJSON_AddNumberToObject(o, "change_pct",
		    round((cur - prev) / prev * 1000) / 10);
	return (o);
}

static const cJSON *
by_slug(const cJSON *list, const char *key, const char *slug)
{
	const cJSON	*e;

	cJSON_ArrayForEach(e, list) {
		if (slug != NULL && json_str(e, key) != NULL &&
		    strcmp(json_str(e, key), slug) == 0)
			return (e);
	}
	return (NULL);
}

static cJSON *
counts_compared(const cJSON *cur, const cJSON *prev)
{
	cJSON	*o = cJSON_CreateObject();
	int	i;

	for (i = 0; idea_metrics[i] != NULL; i++)
		cJSON_AddItemToObject(o, idea_metrics[i], compare(
		    cell_n(cur, idea_metrics[i]), cell_n(prev, idea_metrics[i])));
	return (o);
}

static double
median_of(const cJSON *cat, const char *kind)
{
	const cJSON	*m;

	m = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cat, kind), "median_days");
	return (cJSON_IsNumber(m) ? m->valuedouble : NAN);
}

/* The defect categories of a field, each median beside the last period's. */
static cJSON *
defects_of(const cJSON *cats, const cJSON *dp, const cJSON *dq,
    const char *field)
{
	const cJSON	*c, *q, *f;
	cJSON		*a, *o;

	a = cJSON_CreateArray();
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(dp, "defects")) {
		f = cJSON_GetObjectItemCaseSensitive(cats, json_str(c,
		    "category"));
		if (!cJSON_IsString(f) || strcmp(f->valuestring, field) != 0)
			continue;
		q = by_slug(cJSON_GetObjectItemCaseSensitive(dq, "defects"),
		    "category", json_str(c, "category"));
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "category", json_str(c,
		    "category"));
		cJSON_AddStringToObject(o, "name", json_str(c, "name"));
		cJSON_AddItemToObject(o, "acknowledge_days", compare(
		    median_of(c, "acknowledge"), median_of(q, "acknowledge")));
		cJSON_AddItemToObject(o, "resolve_days", compare(
		    median_of(c, "resolve"), median_of(q, "resolve")));
		cJSON_AddItemToArray(a, o);
	}
	return (a);
}

static void
projects_judged(cJSON *list)
{
	cJSON	*p, *c;

	cJSON_ArrayForEach(p, list) {
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(p,
		    "criteria"))
			progress_json(c);
	}
}

/*
 * Each published survey's results per item as its results page publishes
 * them (the survey k, results.c), in place of the definition and tallies
 * the query brought.  The whole survey's results: a survey's published
 * results are not cut by period.
 */
static void
surveys_summarised(struct http_request *req, cJSON *row)
{
	struct results_opts	opts;
	cJSON			*s, *def, *t, *doc;

	memset(&opts, 0, sizeof(opts));
	opts.k = mw_config.survey_k;
	opts.lang = rq_get(req)->lang;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(row,
	    "surveys")) {
		def = cJSON_DetachItemFromObject(s, "definition");
		t = cJSON_DetachItemFromObject(s, "tallies");
		doc = cJSON_IsObject(def) ? results_from_json(def, t, &opts) :
		    NULL;
		cJSON_AddItemToObject(s, "items", doc != NULL ?
		    results_summary(doc) : cJSON_CreateArray());
		cJSON_Delete(doc);
		cJSON_Delete(t);
		cJSON_Delete(def);
	}
}

static void
taken_up(cJSON *row)
{
	cJSON	*t = cJSON_DetachItemFromObject(row, "taken_up");

	cJSON_AddItemToObject(row, "ideas_taken_up", compare(
	    cJSON_GetArrayItem(t, 0)->valuedouble,
	    cJSON_GetArrayItem(t, 1)->valuedouble));
	cJSON_Delete(t);
}

static void
arrange_fields(struct http_request *req, cJSON *fields, const cJSON *cats,
    const cJSON *dp, const cJSON *dq)
{
	const cJSON	*cp, *cq;
	cJSON		*row;
	const char	*slug;

	cJSON_ArrayForEach(row, fields) {
		slug = json_str(row, "slug");
		cp = by_slug(cJSON_GetObjectItemCaseSensitive(dp, "by_field"),
		    "slug", slug);
		cq = by_slug(cJSON_GetObjectItemCaseSensitive(dq, "by_field"),
		    "slug", slug);
		cJSON_AddItemToObject(row, "counts", counts_compared(
		    cJSON_GetObjectItemCaseSensitive(cp, "counts"),
		    cJSON_GetObjectItemCaseSensitive(cq, "counts")));
		cJSON_AddItemToObject(row, "defects", defects_of(cats, dp, dq,
		    slug));
		taken_up(row);
		projects_judged(cJSON_GetObjectItemCaseSensitive(row,
		    "projects"));
		surveys_summarised(req, row);
	}
}

static cJSON *
report_doc(struct http_request *req, cJSON *base, const cJSON *dp,
    const cJSON *dq)
{
	struct rq	*rq = rq_get(req);
	cJSON		*doc, *p, *fields, *goals, *row;

	doc = cJSON_CreateObject();
	p = cJSON_AddObjectToObject(doc, "period");
	cJSON_AddStringToObject(p, "from", params_get(&rq->vars, "eval_from"));
	cJSON_AddStringToObject(p, "to", params_get(&rq->vars, "eval_to"));
	p = cJSON_AddObjectToObject(doc, "previous");
	cJSON_AddStringToObject(p, "from", params_get(&rq->vars, "prev_from"));
	cJSON_AddStringToObject(p, "to", params_get(&rq->vars, "prev_to"));
	cJSON_AddNumberToObject(doc, "k", json_num(dp, "k"));
	cJSON_AddBoolToObject(doc, "internal", json_true(dp, "internal"));
	cJSON_AddItemToObject(doc, "totals", counts_compared(
	    cJSON_GetObjectItemCaseSensitive(dp, "totals"),
	    cJSON_GetObjectItemCaseSensitive(dq, "totals")));
	fields = cJSON_DetachItemFromObject(base, "fields");
	goals = cJSON_DetachItemFromObject(base, "goals");
	arrange_fields(req, fields, cJSON_GetObjectItemCaseSensitive(base,
	    "categories"), dp, dq);
	cJSON_ArrayForEach(row, goals) {
		taken_up(row);
		projects_judged(cJSON_GetObjectItemCaseSensitive(row,
		    "projects"));
		surveys_summarised(req, row);
	}
	cJSON_AddItemToObject(doc, "fields", fields);
	cJSON_AddItemToObject(doc, "goals", goals);
	return (doc);
}

/*
 * One period's dashboard document, kept as text in a request value
 * between the handler's calls (the statement runs once per period).
 */
static enum db_status
dashboard_of(struct http_request *req, const char *var)
{
	enum db_status	s;
	cJSON		*doc;
	char		*text;

	if (params_get(&rq_get(req)->vars, var) != NULL)
		return (DB_DONE);
	if ((s = stats_dashboard_step(req, &doc)) != DB_DONE)
		return (s);
	text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	rq_var_set(req, var, text);
	cJSON_free(text);
	stats_dashboard_again(req);
	return (DB_DONE);
}

/*
 * The whole computation: the dashboard for the period, again for the one
 * before, then the projects and surveys.  DB_DONE with *out (the caller
 * frees it); DB_FAILED after an answer.
 */
enum db_status
evaluation_step(struct http_request *req, cJSON **out)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;
	cJSON			*dp, *dq, *base;

	*out = NULL;
	if (params_get(&rq->vars, "eval_from") == NULL) {
		memset(&fe, 0, sizeof(fe));
		if (!period_of(req, &fe)) {
			respond_fields(req, 422, &fe);
			return (DB_FAILED);
		}
		/* The dashboard's own checks are ours, done. */
		rq->prepared = 1;
	}
	if ((s = dashboard_of(req, "eval_current")) != DB_DONE)
		return (s);
	if (params_get(&rq->vars, "eval_previous") == NULL) {
		rq_var_update(req, "from", params_get(&rq->vars,
		    "prev_from_month"));
		rq_var_update(req, "to", params_get(&rq->vars,
		    "prev_to_month"));
	}
	if ((s = dashboard_of(req, "eval_previous")) != DB_DONE)
		return (s);
	if ((s = db_step(req, &op_evaluation, &res)) != DB_DONE)
		return (s);
	dp = cJSON_Parse(params_get(&rq->vars, "eval_current"));
	dq = cJSON_Parse(params_get(&rq->vars, "eval_previous"));
	base = db_json(res);
	if (dp != NULL && dq != NULL && base != NULL)
		*out = report_doc(req, base, dp, dq);
	cJSON_Delete(base);
	cJSON_Delete(dp);
	cJSON_Delete(dq);
	if (*out == NULL) {
		respond_error(req, 500, NULL, NULL, NULL);
		return (DB_FAILED);
	}
	return (DB_DONE);
}

/* ---- JSON and CSV ---- */

static const struct od_column csv_cols[] = {
	{ "section", OD_STRING, "", "total, field or goal", "" },
	{ "key", OD_STRING, "", "the field's or goal's slug", "" },
	{ "item", OD_STRING, "", "metric, category, project-N, survey-N, "
	    "survey-N/question", "" },
	{ "measure", OD_STRING, "", "count, acknowledge_days, ...", "" },
	{ "current", OD_NUMBER, "", "this period", "" },
	{ "previous", OD_NUMBER, "", "the period before", "" },
	{ "change", OD_NUMBER, "", "current - previous", "" },
	{ "change_pct", OD_NUMBER, "", "change in percent", "" },
	{ "text", OD_STRING, "", "status, verdict or title", "" },
	{ NULL, 0, NULL, NULL, NULL }
};

static void
num_text(const cJSON *o, const char *name, char *buf, size_t len,
    const char **out)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	*out = NULL;
	if (cJSON_IsNumber(v)) {
		(void)snprintf(buf, len, "%.15g", v->valuedouble);
		*out = buf;
	}
}

static void
csv_compared(struct strbuf *b, const char *section, const char *key,
    const char *item, const char *measure, const cJSON *c)
{
	char		n[4][32];
	const char	*v[9];

	v[0] = section;
	v[1] = key;
	v[2] = item;
	v[3] = measure;
	num_text(c, "current", n[0], sizeof(n[0]), &v[4]);
	num_text(c, "previous", n[1], sizeof(n[1]), &v[5]);
	num_text(c, "change", n[2], sizeof(n[2]), &v[6]);
	num_text(c, "change_pct", n[3], sizeof(n[3]), &v[7]);
	v[8] = NULL;
	opendata_csv_row(b, csv_cols, v);
}

static void
csv_text(struct strbuf *b, const char *section, const char *key,
    const char *item, const char *measure, const char *current,
    const char *text)
{
	const char	*v[9] = { section, key, item, measure, current, NULL,
		NULL, NULL, text };

	opendata_csv_row(b, csv_cols, v);
}

static void
csv_projects(struct strbuf *b, const char *section, const char *key,
    const cJSON *row)
{
	const cJSON	*p, *c, *pr;
	char		item[64], num[32];
	const char	*latest;

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(row,
	    "projects")) {
		(void)snprintf(item, sizeof(item), "project-%.0f",
		    json_num(p, "id"));
		csv_text(b, section, key, item, "status", NULL,
		    json_str(p, "status"));
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(p,
		    "criteria")) {
			(void)snprintf(item, sizeof(item),
			    "project-%.0f/criterion-%.0f", json_num(p, "id"),
			    json_num(c, "id"));
			pr = cJSON_GetObjectItemCaseSensitive(c, "progress");
			num_text(pr, "latest", num, sizeof(num), &latest);
			csv_text(b, section, key, item, "latest", latest,
			    json_str(pr, "verdict"));
		}
	}
}

/* A survey's items: a mean, or the most chosen option's share. */
static void
csv_survey_items(struct strbuf *b, const char *section, const char *key,
    const cJSON *survey)
{
	const cJSON	*i, *top;
	char		item[200], num[32];
	const char	*v;

	cJSON_ArrayForEach(i, cJSON_GetObjectItemCaseSensitive(survey,
	    "items")) {
		(void)snprintf(item, sizeof(item), "survey-%.0f/%s",
		    json_num(survey, "id"), json_str(i, "question"));
		if (cJSON_GetObjectItemCaseSensitive(i, "mean") != NULL) {
			num_text(i, "mean", num, sizeof(num), &v);
			csv_text(b, section, key, item, "mean", v,
			    json_str(i, "title"));
			continue;
		}
		top = cJSON_GetObjectItemCaseSensitive(i, "most_chosen");
		num_text(top, "share", num, sizeof(num), &v);
		csv_text(b, section, key, item, "most_chosen_share", v,
		    json_str(top, "label"));
	}
}

static void
csv_rows(struct strbuf *b, const char *section, const cJSON *list)
{
	const cJSON	*row, *e, *c;
	const char	*key;
	char		item[40], num[32];

	cJSON_ArrayForEach(row, list) {
		key = json_str(row, "slug");
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(row,
		    "counts"))
			csv_compared(b, section, key, c->string, "count", c);
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(row,
		    "defects")) {
			csv_compared(b, section, key, json_str(e, "category"),
			    "acknowledge_days", cJSON_GetObjectItemCaseSensitive(
			    e, "acknowledge_days"));
			csv_compared(b, section, key, json_str(e, "category"),
			    "resolve_days", cJSON_GetObjectItemCaseSensitive(e,
			    "resolve_days"));
		}
		csv_compared(b, section, key, "ideas_taken_up", "count",
		    cJSON_GetObjectItemCaseSensitive(row, "ideas_taken_up"));
		csv_projects(b, section, key, row);
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(row,
		    "surveys")) {
			(void)snprintf(item, sizeof(item), "survey-%.0f",
			    json_num(e, "id"));
			if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(e,
			    "respondents")))
				(void)snprintf(num, sizeof(num), "%.0f",
				    json_num(e, "respondents"));
			csv_text(b, section, key, item, "respondents",
			    cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(e,
			    "respondents")) ? num : NULL, json_str(e, "title"));
			csv_survey_items(b, section, key, e);
		}
	}
}

static int
send_csv(struct http_request *req, const cJSON *doc)
{
	struct strbuf	b;
	const cJSON	*c;
	char		name[80];

	strbuf_init(&b, 16384);
	opendata_csv_header(&b, csv_cols);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "totals"))
		csv_compared(&b, "total", NULL, c->string, "count", c);
	csv_rows(&b, "field", cJSON_GetObjectItemCaseSensitive(doc, "fields"));
	csv_rows(&b, "goal", cJSON_GetObjectItemCaseSensitive(doc, "goals"));
	(void)snprintf(name, sizeof(name), "attachment; filename=\""
	    "evaluation-%s-%s.csv\"", json_str(cJSON_GetObjectItemCaseSensitive(
	    doc, "period"), "from"), json_str(cJSON_GetObjectItemCaseSensitive(
	    doc, "period"), "to"));
	http_response_header(req, "content-disposition", name);
	respond(req, 200, "text/csv; charset=utf-8; header=present", b.data,
	    b.len);
	strbuf_free(&b);
	return (KORE_RESULT_OK);
}

/* GET /api/v1/evaluation?from=&to=[&format=csv][&internal=1] */
int
api_evaluation(struct http_request *req)
{
	enum db_status	s;
	const char	*format;
	cJSON		*doc;
	char		*body;
	int		r;

	if ((s = evaluation_step(req, &doc)) != DB_DONE)
		return (db_yield(s));
	format = params_get(&rq_get(req)->params, "format");
	if (format != NULL && strcmp(format, "csv") == 0) {
		r = send_csv(req, doc);
		cJSON_Delete(doc);
		return (r);
	}
	body = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	respond(req, 200, JSON_TYPE, body, strlen(body));
	cJSON_free(body);
	return (KORE_RESULT_OK);
}
