/*
 * /statistik (the forum dashboard), /statistik/handlungsfelder (its small
 * multiples per Handlungsfeld and month, a page of their own to keep
 * /statistik under 50 KB) and /statistik/teilhabe (the inclusion
 * monitor): the document of stats.c, decorated for the template with the
 * numbers as text ("geschützt" where withheld, one word whether the value
 * is small or withheld only to protect a small one; "mind. 12" for a
 * withheld period total's lower bound) and chart.c's SVG built from the
 * same cells, so every chart says what its table says.  No script; the
 * filters are a GET form.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"
#include "stats/stats.h"

/* Metrics drawn as one line chart; the rest are in the tables. */
#define IDEA_METRICS	4

struct view {
	struct http_request	*req;
	enum lang		lang;
	const char		*hidden;	/* "geschützt" */
	const char		*at_least;	/* "mind." */
	char			note[512];	/* what that means, with k */
};

static const char *
label(struct view *v, const char *group, const char *key)
{
	return (page_text(v->req, group, key));
}

/* A withheld period total's lower bound, if there is one above 0. */
static const cJSON *
lower_bound(const cJSON *c)
{
	const cJSON	*low;

	low = cJSON_GetObjectItemCaseSensitive(c, "at_least");
	return (cJSON_IsNumber(low) && low->valuedouble > 0 ? low : NULL);
}

/*
 * A cell's text: the number, "mind. 12" (a withheld period total's
 * lower bound), "geschützt", or "–" (not applicable).
 */
static void
cell_text(struct view *v, const cJSON *c, const char *key, char *buf,
    size_t len, int decimals)
{
	const cJSON	*n, *low;
	char		num[32];

	n = cJSON_GetObjectItemCaseSensitive(c, key);
	if ((low = lower_bound(c)) != NULL) {
		chart_number(num, sizeof(num), low->valuedouble, 0, v->lang);
		(void)snprintf(buf, len, "%s %s", v->at_least, num);
	} else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c,
	    "suppressed")))
		(void)snprintf(buf, len, "%s", v->hidden);
	else if (cJSON_IsNumber(n))
		chart_number(buf, len, n->valuedouble, decimals, v->lang);
	else
		(void)snprintf(buf, len, "–");
}

/* A cell's value for a chart; a lower bound is drawn as one (lower). */
static double
cell_value(const cJSON *c, const char *key, unsigned char *hidden,
    unsigned char *lower)
{
	const cJSON	*n, *low;

	n = cJSON_GetObjectItemCaseSensitive(c, key);
	*hidden = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c,
	    "suppressed"));
	if (lower != NULL && (low = lower_bound(c)) != NULL) {
		*hidden = 0;
		*lower = 1;
		return (low->valuedouble);
	}
	return (cJSON_IsNumber(n) ? n->valuedouble : 0);
}

static void
add_svg(cJSON *o, const char *key, struct strbuf *sb)
{
	cJSON_AddItemToObject(o, key, cJSON_CreateRaw(sb->data));
	strbuf_reset(sb);
}

/* One table row: {label, cells: [{text}]}. */
static cJSON *
row_new(cJSON *rows, const char *text)
{
	cJSON	*r;

	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "label", text);
	cJSON_AddArrayToObject(r, "cells");
	cJSON_AddItemToArray(rows, r);
	return (r);
}

static void
row_cell(struct view *v, cJSON *row, const cJSON *c, const char *key)
{
	cJSON	*o;
	char	buf[64];

	cell_text(v, c, key, buf, sizeof(buf), 0);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "text", buf);
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(row, "cells"),
	    o);
}

static cJSON *
metric_heads(struct view *v, int n)
{
	cJSON	*a;
	int	m;

	a = cJSON_CreateArray();
	for (m = 0; m < n; m++)
		cJSON_AddItemToArray(a, cJSON_CreateString(label(v,
		    "stats_metrics", stats_metrics[m])));
	return (a);
}

/* Months as rows, every metric a column; the ideas as a line chart. */
static void
months_view(struct view *v, const cJSON *doc, cJSON *data,
    struct strbuf *sb)
{
	const cJSON		*series, *months;
	struct chart_series	cs[IDEA_METRICS];
	struct chart		c;
	const char		**labels;
	double			*vals;
	unsigned char		*hid;
	cJSON			*rows, *row;
	int			m, i, nm;

	series = cJSON_GetObjectItemCaseSensitive(doc, "series");
	months = cJSON_GetObjectItemCaseSensitive(doc, "months");
	nm = cJSON_GetArraySize(months);
	labels = calloc((size_t)nm + 1, sizeof(*labels));
	vals = calloc((size_t)nm * IDEA_METRICS + 1, sizeof(*vals));
	hid = calloc((size_t)nm * IDEA_METRICS + 1, 1);
	if (labels == NULL || vals == NULL || hid == NULL)
		fatal("months_view: out of memory");
	rows = cJSON_AddArrayToObject(data, "month_rows");
	for (i = 0; i < nm; i++) {
		labels[i] = cJSON_GetArrayItem(months, i)->valuestring;
		row = row_new(rows, labels[i]);
		for (m = 0; m < STATS_METRICS; m++)
			row_cell(v, row, cJSON_GetArrayItem(
			    cJSON_GetObjectItemCaseSensitive(series,
			    stats_metrics[m]), i), "n");
	}
	memset(cs, 0, sizeof(cs));
	for (m = 0; m < IDEA_METRICS; m++) {
		cs[m].name = label(v, "stats_metrics", stats_metrics[m]);
		cs[m].v = &vals[m * nm];
		cs[m].hidden = &hid[m * nm];
		for (i = 0; i < nm; i++)
			vals[m * nm + i] = cell_value(cJSON_GetArrayItem(
			    cJSON_GetObjectItemCaseSensitive(series,
			    stats_metrics[m]), i), "n", &hid[m * nm + i], NULL);
	}
	memset(&c, 0, sizeof(c));
	c.id = "chart-months";
	c.title = label(v, "stats", "chart_months");
	c.desc = label(v, "stats", "chart_months_desc");
	c.labels = labels;
	c.npoints = nm;
	c.series = cs;
	c.nseries = IDEA_METRICS;
	c.hidden = v->hidden;
	c.lang = v->lang;
	chart_lines(sb, &c);
	add_svg(data, "chart_months", sb);
	free(labels);
	free(vals);
	free(hid);
}

/*
 * A breakdown (fields, districts, channels): a table of every metric and
 * a bar chart of ideas submitted.  name_of gives a row's label.
 */
static void
breakdown_view(struct view *v, const cJSON *list, cJSON *data,
    const char *key, struct strbuf *sb,
    const char *(*name_of)(struct view *, const cJSON *))
{
	struct chart_series	cs;
	struct chart		c;
	const cJSON		*e;
	const char		**labels;
	double			*vals;
	unsigned char		*hid, *low;
	cJSON			*rows, *row;
	char			tkey[64];
	int			n, i, m;

	n = cJSON_GetArraySize(list);
	labels = calloc((size_t)n + 1, sizeof(*labels));
	vals = calloc((size_t)n + 1, sizeof(*vals));
	hid = calloc((size_t)n + 1, 1);
	low = calloc((size_t)n + 1, 1);
	if (labels == NULL || vals == NULL || hid == NULL || low == NULL)
		fatal("breakdown_view: out of memory");
	(void)snprintf(tkey, sizeof(tkey), "%s_rows", key);
	rows = cJSON_AddArrayToObject(data, tkey);
	i = 0;
	cJSON_ArrayForEach(e, list) {
		labels[i] = name_of(v, e);
		row = row_new(rows, labels[i]);
		for (m = 0; m < STATS_METRICS; m++)
			row_cell(v, row, cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(e, "counts"),
			    stats_metrics[m]), "n");
		vals[i] = cell_value(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(e, "counts"),
		    "ideas_submitted"), "n", &hid[i], &low[i]);
		i++;
	}
	memset(&cs, 0, sizeof(cs));
	cs.name = label(v, "stats_metrics", "ideas_submitted");
	cs.v = vals;
	cs.hidden = hid;
	cs.lower = low;
	memset(&c, 0, sizeof(c));
	(void)snprintf(tkey, sizeof(tkey), "chart-%s", key);
	c.id = tkey;
	c.title = label(v, "stats", key);
	c.desc = NULL;
	c.labels = labels;
	c.npoints = n;
	c.series = &cs;
	c.nseries = 1;
	c.hidden = v->hidden;
	c.at_least = v->at_least;
	c.lang = v->lang;
	chart_bars(sb, &c);
	(void)snprintf(tkey, sizeof(tkey), "chart_%s", key);
	add_svg(data, tkey, sb);
	free(labels);
	free(vals);
	free(hid);
	free(low);
}

static const char *named(struct view *, const cJSON *);

/*
 * Small multiples per Handlungsfeld of one metric: a panel per field on
 * one scale, and the same cells as a table (fields as rows, months as
 * columns).  The cells are the month tables' own published values.
 */
static void
multiples_view(struct view *v, const cJSON *doc, cJSON *data,
    const char *metric, struct strbuf *sb)
{
	const cJSON		*list, *e, *cells, *months;
	struct chart_series	*cs;
	struct chart		*panels;
	const char		**labels;
	double			*vals;
	unsigned char		*hid;
	cJSON			*o, *rows, *row;
	char			*ids, key[64];
	int			nf, nm, i, j;

	list = cJSON_GetObjectItemCaseSensitive(doc, "by_field_series");
	months = cJSON_GetObjectItemCaseSensitive(doc, "months");
	nf = cJSON_GetArraySize(list);
	nm = cJSON_GetArraySize(months);
	labels = calloc((size_t)nm + 1, sizeof(*labels));
	vals = calloc((size_t)nf * nm + 1, sizeof(*vals));
	hid = calloc((size_t)nf * nm + 1, 1);
	cs = calloc((size_t)nf + 1, sizeof(*cs));
	panels = calloc((size_t)nf + 1, sizeof(*panels));
	ids = calloc((size_t)nf + 1, 48);
	if (labels == NULL || vals == NULL || hid == NULL || cs == NULL ||
	    panels == NULL || ids == NULL)
		fatal("multiples_view: out of memory");
	for (j = 0; j < nm; j++)
		labels[j] = cJSON_GetArrayItem(months, j)->valuestring;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "title", label(v, "stats_multiples",
	    metric));
	cJSON_AddItemToObject(o, "months", cJSON_Duplicate(months, 1));
	rows = cJSON_AddArrayToObject(o, "rows");
	i = 0;
	cJSON_ArrayForEach(e, list) {
		cells = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(e, "series"), metric);
		row = row_new(rows, named(v, e));
		for (j = 0; j < nm; j++) {
			row_cell(v, row, cJSON_GetArrayItem(cells, j), "n");
			vals[i * nm + j] = cell_value(cJSON_GetArrayItem(cells,
			    j), "n", &hid[i * nm + j], NULL);
		}
		cs[i].name = label(v, "stats_metrics", metric);
		cs[i].v = &vals[i * nm];
		cs[i].hidden = &hid[i * nm];
		(void)snprintf(&ids[i * 48], 48, "chart-%s-%d", metric, i);
		panels[i].id = &ids[i * 48];
		panels[i].title = named(v, e);
		panels[i].labels = labels;
		panels[i].npoints = nm;
		panels[i].series = &cs[i];
		panels[i].nseries = 1;
		panels[i].hidden = v->hidden;
		panels[i].lang = v->lang;
		i++;
	}
	chart_multiples(sb, panels, nf, label(v, "stats_multiples", metric));
	cJSON_AddItemToObject(o, "chart", cJSON_CreateRaw(sb->data));
	strbuf_reset(sb);
	(void)snprintf(key, sizeof(key), "multiples_%s", metric);
	cJSON_AddItemToObject(data, key, o);
	free(labels);
	free(vals);
	free(hid);
	free(cs);
	free(panels);
	free(ids);
}

static const char *
named(struct view *v, const cJSON *e)
{
	const cJSON	*n;

	n = cJSON_GetObjectItemCaseSensitive(e, "name");
	return (cJSON_IsString(n) ? n->valuestring :
	    label(v, "stats", "none"));
}

static const char *
channel_name(struct view *v, const cJSON *e)
{
	return (label(v, "channels", cJSON_GetObjectItemCaseSensitive(e,
	    "channel")->valuestring));
}

/* Defects: the medians per category, as a table. */
static void
defects_view(struct view *v, const cJSON *doc, cJSON *data)
{
	const cJSON	*e;
	cJSON		*rows, *row, *o;
	char		buf[64];
	int		k;
	static const char *const kinds[] = { "acknowledge", "resolve" };

	rows = cJSON_AddArrayToObject(data, "defect_rows");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc,
	    "defects")) {
		row = row_new(rows, named(v, e));
		for (k = 0; k < 2; k++) {
			cell_text(v, cJSON_GetObjectItemCaseSensitive(e,
			    kinds[k]), "median_days", buf, sizeof(buf), 1);
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "text", buf);
			cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(
			    row, "cells"), o);
		}
	}
}

/* Projects by status (never suppressed) and participants per month. */
static void
projects_view(struct view *v, const cJSON *doc, cJSON *data,
    struct strbuf *sb)
{
	struct chart_series	cs;
	struct chart		c;
	const char		*labels[8];
	double			vals[8];
	const cJSON		*p;
	cJSON			*rows, *row, *o;
	char			buf[64];
	int			i;

	p = cJSON_GetObjectItemCaseSensitive(doc, "projects");
	rows = cJSON_AddArrayToObject(data, "project_rows");
	for (i = 0; stats_statuses[i] != NULL && i < 8; i++) {
		labels[i] = label(v, "stats_statuses", stats_statuses[i]);
		vals[i] = cJSON_GetObjectItemCaseSensitive(p,
		    stats_statuses[i])->valuedouble;
		row = row_new(rows, labels[i]);
		chart_number(buf, sizeof(buf), vals[i], 0, v->lang);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "text", buf);
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(row,
		    "cells"), o);
	}
	memset(&cs, 0, sizeof(cs));
	cs.name = label(v, "stats", "projects");
	cs.v = vals;
	memset(&c, 0, sizeof(c));
	c.id = "chart-projects";
	c.title = cs.name;
	c.labels = labels;
	c.npoints = i;
	c.series = &cs;
	c.nseries = 1;
	c.hidden = v->hidden;
	c.lang = v->lang;
	chart_bars(sb, &c);
	add_svg(data, "chart_projects", sb);
}

static void
participants_view(struct view *v, const cJSON *doc, cJSON *data)
{
	const cJSON	*e, *p;
	cJSON		*rows, *row;

	p = cJSON_GetObjectItemCaseSensitive(doc, "participants");
	rows = cJSON_AddArrayToObject(data, "participant_rows");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p, "series")) {
		row = row_new(rows, cJSON_GetObjectItemCaseSensitive(e,
		    "month")->valuestring);
		row_cell(v, row, e, "n");
	}
}

/* The filter form: the months given and the taxonomy to choose from. */
static void
filters_view(struct http_request *req, cJSON *data)
{
	struct rq	*rq = rq_get(req);
	const char	*names[] = { "from", "to", "field", "district" };
	cJSON		*q;
	struct strbuf	qs;
	size_t		i;

	q = cJSON_AddObjectToObject(data, "query");
	strbuf_init(&qs, 64);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (params_get(&rq->params, names[i]) == NULL)
			continue;
		cJSON_AddStringToObject(q, names[i],
		    params_get(&rq->params, names[i]));
		strbuf_appendf(&qs, "%s%s=", qs.len ? "&" : "", names[i]);
		params_url_encode(&qs, params_get(&rq->params, names[i]));
	}
	cJSON_AddStringToObject(data, "query_string", qs.len ? qs.data : "");
	strbuf_free(&qs);
}

/* The choices of a filter, from the rows of a breakdown (the taxonomy). */
static void
options_view(struct http_request *req, const cJSON *doc, cJSON *data,
    const char *list, const char *param, const char *key)
{
	const cJSON	*e, *slug;
	const char	*given;
	cJSON		*a, *o;

	given = params_get(&rq_get(req)->params, param);
	a = cJSON_AddArrayToObject(data, key);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, list)) {
		slug = cJSON_GetObjectItemCaseSensitive(e, "slug");
		if (!cJSON_IsString(slug))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "slug", slug->valuestring);
		cJSON_AddStringToObject(o, "name", cJSON_GetObjectItemCaseSensitive(
		    e, "name")->valuestring);
		if (given != NULL && strcmp(given, slug->valuestring) == 0)
			cJSON_AddTrueToObject(o, "selected");
		cJSON_AddItemToArray(a, o);
	}
}

/* The withheld label, and its explanation with "{k}" as the doc's k. */
static void
view_init(struct view *v, struct http_request *req, const cJSON *doc)
{
	const char	*text, *at;

	v->req = req;
	v->lang = rq_get(req)->lang;
	v->hidden = label(v, "stats", "withheld");
	v->at_least = label(v, "stats", "at_least");
	text = label(v, "stats", "withheld_note");
	if ((at = strstr(text, "{k}")) == NULL)
		at = text + strlen(text);
	(void)snprintf(v->note, sizeof(v->note), "%.*s%d%s",
	    (int)(at - text), text,
	    (int)cJSON_GetObjectItemCaseSensitive(doc, "k")->valuedouble,
	    *at != '\0' ? at + 3 : "");
}

/*
 * The query that carries the dashboard's period and district to its
 * Handlungsfeld page and back: the months the document resolved (not the
 * ones given, so a link followed at a month's turn shows the same
 * months), the district if one was chosen, the planners' internal view
 * if asked for.  The field filter stays behind: the small multiples show
 * every field.
 */
static void
fields_query(struct http_request *req, const cJSON *doc, cJSON *data)
{
	struct rq	*rq = rq_get(req);
	const char	*names[] = { "district", "internal" };
	struct strbuf	qs;
	size_t		i;

	strbuf_init(&qs, 64);
	strbuf_appendf(&qs, "lang=%s&from=", lang_code(rq->lang));
	params_url_encode(&qs, cJSON_GetObjectItemCaseSensitive(doc,
	    "from")->valuestring);
	strbuf_appendf(&qs, "&to=");
	params_url_encode(&qs, cJSON_GetObjectItemCaseSensitive(doc,
	    "to")->valuestring);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (params_get(&rq->params, names[i]) == NULL ||
		    *params_get(&rq->params, names[i]) == '\0')
			continue;
		strbuf_appendf(&qs, "&%s=", names[i]);
		params_url_encode(&qs, params_get(&rq->params, names[i]));
	}
	cJSON_AddStringToObject(data, "fields_query", qs.data);
	strbuf_free(&qs);
}

/* GET /statistik */
int
page_stats(struct http_request *req)
{
	struct view	v;
	struct strbuf	sb;
	enum db_status	s;
	cJSON		*doc, *data;

	rq_get(req)->html = 1;
	if ((s = stats_dashboard_step(req, &doc)) != DB_DONE)
		return (db_yield(s));
	view_init(&v, req, doc);
	data = page_new(req, "stats");
	cJSON_AddStringToObject(data, "withheld_note", v.note);
	strbuf_init(&sb, 16384);
	cJSON_AddItemToObject(data, "metric_heads",
	    metric_heads(&v, STATS_METRICS));
	months_view(&v, doc, data, &sb);
	breakdown_view(&v, cJSON_GetObjectItemCaseSensitive(doc, "by_field"),
	    data, "by_field", &sb, named);
	breakdown_view(&v, cJSON_GetObjectItemCaseSensitive(doc,
	    "by_district"), data, "by_district", &sb, named);
	if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc,
	    "by_channel")))
		breakdown_view(&v, cJSON_GetObjectItemCaseSensitive(doc,
		    "by_channel"), data, "by_channel", &sb, channel_name);
	defects_view(&v, doc, data);
	projects_view(&v, doc, data, &sb);
	participants_view(&v, doc, data);
	strbuf_free(&sb);
	filters_view(req, data);
	fields_query(req, doc, data);
	options_view(req, doc, data, "by_field", "field", "field_options");
	options_view(req, doc, data, "by_district", "district",
	    "district_options");
	cJSON_AddItemToObject(data, "stats", doc);
	return (page_with(req, 200, data, "stats.html"));
}

/*
 * GET /statistik/handlungsfelder: the dashboard's small multiples per
 * Handlungsfeld and month, from the same computed document (the same
 * cells, the same suppression) with the same period and district filter.
 */
int
page_stats_fields(struct http_request *req)
{
	struct view	v;
	struct strbuf	sb;
	enum db_status	s;
	cJSON		*doc, *data;

	rq_get(req)->html = 1;
	if ((s = stats_dashboard_step(req, &doc)) != DB_DONE)
		return (db_yield(s));
	view_init(&v, req, doc);
	data = page_new(req, "stats_fields");
	cJSON_AddStringToObject(data, "withheld_note", v.note);
	strbuf_init(&sb, 16384);
	multiples_view(&v, doc, data, "ideas_submitted", &sb);
	multiples_view(&v, doc, data, "defect_reports", &sb);
	strbuf_free(&sb);
	fields_query(req, doc, data);
	options_view(req, doc, data, "by_district", "district",
	    "district_options");
	cJSON_AddItemToObject(data, "stats", doc);
	return (page_with(req, 200, data, "stats_fields.html"));
}

/* GET /statistik/teilhabe */
int
page_stats_inclusion(struct http_request *req)
{
	struct view	v;
	enum db_status	s;
	const cJSON	*e;
	cJSON		*doc, *data, *rows, *row, *o;
	char		buf[64];
	const cJSON	*share;

	rq_get(req)->html = 1;
	if ((s = stats_inclusion_step(req, &doc)) != DB_DONE)
		return (db_yield(s));
	view_init(&v, req, doc);
	data = page_new(req, "stats_inclusion");
	cJSON_AddStringToObject(data, "withheld_note", v.note);
	rows = cJSON_AddArrayToObject(data, "channel_rows");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc,
	    "channels")) {
		row = row_new(rows, channel_name(&v, e));
		row_cell(&v, row, cJSON_GetObjectItemCaseSensitive(e,
		    "contributions"), "n");
		row_cell(&v, row, cJSON_GetObjectItemCaseSensitive(e,
		    "participant_months"), "n");
	}
	rows = cJSON_AddArrayToObject(data, "band_rows");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc,
	    "age_bands")) {
		row = row_new(rows, label(&v, "stats_bands",
		    cJSON_GetObjectItemCaseSensitive(e, "band")->valuestring));
		row_cell(&v, row, cJSON_GetObjectItemCaseSensitive(e,
		    "participant_months"), "n");
		share = cJSON_GetObjectItemCaseSensitive(e, "share");
		if (cJSON_IsNumber(share))
			chart_number(buf, sizeof(buf), 100 * share->valuedouble,
			    1, v.lang);
		else
			(void)snprintf(buf, sizeof(buf), "–");
		o = cJSON_AddObjectToObject(row, "share");
		cJSON_AddStringToObject(o, "text", buf);
		share = cJSON_GetObjectItemCaseSensitive(e,
		    "population_share");
		if (cJSON_IsNumber(share))
			chart_number(buf, sizeof(buf), 100 * share->valuedouble,
			    1, v.lang);
		else
			(void)snprintf(buf, sizeof(buf), "–");
		o = cJSON_AddObjectToObject(row, "population");
		cJSON_AddStringToObject(o, "text", buf);
	}
	filters_view(req, data);
	cJSON_AddItemToObject(data, "stats", doc);
	return (page_with(req, 200, data, "stats_inclusion.html"));
}
