/*
 * The forum dashboard and the inclusion monitor (issue 15).  One statement
 * reads the aggregates of the months asked for (sql/017_stats.sql: counts
 * grouped by month, never the contributions themselves, so the cost does
 * not grow with them), disclosure.c decides per month which cells may be
 * shown, and one cJSON document is built from that: the JSON answer is the
 * document, the CSV and the pages (stats_pages.c, with chart.c's SVG) are
 * renderings of it.  So every format shows the same numbers and the same
 * gaps.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"
#include "stats/stats.h"

const char *const stats_metrics[] = {
	"ideas_submitted", "ideas_published", "ideas_accepted",
	"ideas_implemented", "comments", "supports", "survey_responses",
	"defect_reports", NULL
};
const char *const stats_channels[] = {
	"online", "paper", "phone", "in_person", "open311", NULL
};
const char *const stats_bands[] = {
	"not-given", "under-18", "18-29", "30-44", "45-64", "65-79", "80-plus",
	NULL
};
const char *const stats_statuses[] = {
	"proposed", "selected", "in_implementation", "completed", "rejected",
	NULL
};

/* Metrics that are contributions (for the inclusion monitor's sums). */
static const int	contribution[STATS_METRICS] = {
	1, 0, 0, 0, 1, 1, 1, 1
};
#define M_IDEAS_SUBMITTED 0
#define M_SURVEY	6	/* survey_responses: no Handlungsfeld */
#define M_DEFECT_REPORTS 7
#define HIST_DAYS	367

/*
 * $1 from, $2 to ('YYYY-MM' or NULL: the last 12 months, Berlin time), $3
 * field slug, $4 district slug, $5 language.  The big lists come as text
 * (one row a line, numbers separated by spaces): cheaper to build and read
 * than JSON at tens of thousands of cells.  Months are numbered y*12+m-1.
 */
#define SQL_DASHBOARD \
    "WITH r AS (SELECT coalesce(to_date($1, 'YYYY-MM'), (date_trunc(" \
    "'month', now() AT TIME ZONE 'Europe/Berlin') - interval '11 months')" \
    "::date) AS lo, coalesce(to_date($2, 'YYYY-MM'), date_trunc('month'," \
    " now() AT TIME ZONE 'Europe/Berlin')::date) AS hi)," \
    " metrics(a) AS (SELECT ARRAY['ideas_submitted', 'ideas_published'," \
    " 'ideas_accepted', 'ideas_implemented', 'comments', 'supports'," \
    " 'survey_responses', 'defect_reports']::text[])," \
    " channels(a) AS (SELECT ARRAY['online', 'paper', 'phone'," \
    " 'in_person', 'open311']::text[])," \
    " g AS (SELECT metric, month, field_id, district_id, channel," \
    "  GROUPING(channel) AS whole, sum(n) AS n" \
    "  FROM stats_counts, r WHERE month BETWEEN r.lo AND r.hi" \
    "  GROUP BY GROUPING SETS ((metric, month, field_id, district_id)," \
    "  (metric, month, channel)))" \
    " SELECT to_char(r.lo, 'YYYY-MM'), to_char(r.hi, 'YYYY-MM')," \
    "  coalesce((SELECT value FROM settings WHERE key = 'stats_k'), '5')," \
    "  coalesce((SELECT value FROM settings WHERE key =" \
    "  'stats_k_internal'), '5')," \
    "  (SELECT id FROM fields WHERE slug = $3)," \
    "  (SELECT id FROM districts WHERE slug = $4)," \
    "  (SELECT json_agg(json_build_array(id, slug, CASE WHEN $5 = 'en'" \
    "  THEN name_en ELSE name_de END) ORDER BY position) FROM fields)," \
    "  (SELECT json_agg(json_build_array(d.id, d.slug, d.name) ORDER BY" \
    "  d.position) FROM districts d WHERE d.active OR EXISTS (SELECT 1" \
    "  FROM stats_counts c WHERE c.district_id = d.id AND c.n > 0))," \
    "  (SELECT json_agg(json_build_array(id, code, CASE WHEN $5 = 'en'" \
    "  THEN name_en ELSE name_de END, coalesce(field_id, 0)) ORDER BY" \
    "  position) FROM defect_categories)," \
    "  (SELECT string_agg(concat_ws(' ', array_position(metrics.a," \
    "  metric) - 1, extract(year FROM month)::int * 12 +" \
    "  extract(month FROM month)::int - 1, whole," \
    "  CASE WHEN whole = 0 THEN array_position(channels.a, channel) - 1" \
    "  ELSE field_id END, coalesce(district_id, 0), n), E'\\n')" \
    "  FROM g, metrics, channels)," \
    "  (SELECT string_agg(concat_ws(' ', (kind = 'resolve')::int," \
    "  category_id, days, n), E'\\n') FROM (SELECT kind, category_id," \
    "  days, sum(n) AS n FROM stats_durations, r WHERE month BETWEEN" \
    "  r.lo AND r.hi GROUP BY 1, 2, 3) d)," \
    "  (SELECT string_agg(concat_ws(' ', extract(year FROM month)::int *" \
    "  12 + extract(month FROM month)::int - 1, scope, key, n), E'\\n')" \
    "  FROM stats_distinct, r WHERE month BETWEEN r.lo AND r.hi)," \
    "  (SELECT json_object_agg(status, n) FROM (SELECT p.status," \
    "  count(*) AS n FROM projects p WHERE $3::text IS NULL OR EXISTS" \
    "  (SELECT 1 FROM project_fields pf JOIN fields f ON f.id =" \
    "  pf.field_id WHERE pf.project_id = p.id AND f.slug = $3)" \
    "  GROUP BY p.status) s)," \
    "  coalesce((SELECT value FROM settings WHERE key =" \
    "  'population_age'), '')" \
    " FROM r"

enum {
	C_LO, C_HI, C_K, C_K_INTERNAL, C_FIELD, C_DISTRICT, C_FIELDS,
	C_DISTRICTS, C_CATEGORIES, C_CELLS, C_DURATIONS, C_DISTINCT,
	C_PROJECTS, C_POPULATION
};

static const char *const dashboard_args[] = { "from", "to", "field",
	"district", "@lang", NULL };

static const struct db_op op_dashboard = {
	.name = "stats_dashboard", .sql = SQL_DASHBOARD, .kind = DB_READ,
	.args = dashboard_args, .replica = 1,
};

/* What the statement returned, as tables disclosure.c can work on. */
struct dash {
	int		k, internal;
	int		lo, nmonths;		/* y*12+m-1 of the first */
	int		nf, nd, ncat;		/* index 0: "none" */
	int		frow, dcol;		/* the filter: nf / nd = all */
	cJSON		*fields, *districts, *cats, *projects;
	int		*fid, *did, *cid, *cfield;
	long long	*v;		/* [metric][month][(nf+1)*(nd+1)] */
	unsigned char	*sup;
	long long	*ch;		/* [metric][month][STATS_CHANNELS+1] */
	unsigned char	*chsup;
	long long	*hist;		/* [2][ncat][HIST_DAYS] */
	long long	*people;	/* [month][scope row], see people_at */
	unsigned char	*psup;
	const char	*population;
};

/* People rows per month: a; f per field; d per district; c; g. */
#define P_ROWS(d)	(1 + (d)->nf + (d)->nd + STATS_CHANNELS + \
			    STATS_BANDS + 1)

static size_t
cell_at(const struct dash *d, int metric, int month, int f, int di)
{
	return (((size_t)metric * d->nmonths + month) *
	    (size_t)((d->nf + 1) * (d->nd + 1)) + (size_t)f * (d->nd + 1) +
	    di);
}

static size_t
ch_at(const struct dash *d, int metric, int month, int c)
{
	return (((size_t)metric * d->nmonths + month) * (STATS_CHANNELS + 1) +
	    c);
}

static size_t
people_at(const struct dash *d, int month, int row)
{
	return ((size_t)month * P_ROWS(d) + row);
}

static int
index_of(const int *ids, int n, int id)
{
	int	i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return (i);
	return (-1);
}

static void *
zalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n ? n : 1, size)) == NULL)
		fatal("stats: out of memory");
	return (p);
}

static void
dash_free(struct dash *d)
{
	cJSON_Delete(d->fields);
	cJSON_Delete(d->districts);
	cJSON_Delete(d->cats);
	cJSON_Delete(d->projects);
	free(d->fid);
	free(d->did);
	free(d->cid);
	free(d->cfield);
	free(d->v);
	free(d->sup);
	free(d->ch);
	free(d->chsup);
	free(d->hist);
	free(d->people);
	free(d->psup);
}

/* "none" first, then the taxonomy's ids from [[id, slug, name], ...]. */
static int *
ids_of(const cJSON *list, int *n, int col)
{
	const cJSON	*e;
	int		*ids, i;

	*n = 1 + cJSON_GetArraySize(list);
	ids = zalloc((size_t)*n, sizeof(*ids));
	i = 1;
	cJSON_ArrayForEach(e, list)
		ids[i++] = (int)cJSON_GetArrayItem(e, col)->valuedouble;
	return (ids);
}

static int
month_of(const char *s)
{
	return (atoi(s) * 12 + atoi(s + 5) - 1);
}

/* The cells text: "metric month whole a b n" a line (see SQL_DASHBOARD). */
static void
read_cells(struct dash *d, const char *p)
{
	long long	n;
	int		m, mo, whole, a, b, f, di;
	char		*end;

	while (*p != '\0') {
		m = (int)strtol(p, &end, 10);
		mo = (int)strtol(end, &end, 10) - d->lo;
		whole = (int)strtol(end, &end, 10);
		a = (int)strtol(end, &end, 10);
		b = (int)strtol(end, &end, 10);
		n = strtoll(end, &end, 10);
		p = *end == '\n' ? end + 1 : end;
		if (m < 0 || m >= STATS_METRICS || mo < 0 ||
		    mo >= d->nmonths)
			continue;
		if (whole == 0) {
			if (a >= 0 && a < STATS_CHANNELS)
				d->ch[ch_at(d, m, mo, a)] += n;
			continue;
		}
		f = index_of(d->fid, d->nf, a);
		di = index_of(d->did, d->nd, b);
		d->v[cell_at(d, m, mo, f < 0 ? 0 : f, di < 0 ? 0 : di)] += n;
	}
}

static void
read_durations(struct dash *d, const char *p)
{
	long long	n;
	int		kind, cat, days, c;
	char		*end;

	while (*p != '\0') {
		kind = (int)strtol(p, &end, 10);
		cat = (int)strtol(end, &end, 10);
		days = (int)strtol(end, &end, 10);
		n = strtoll(end, &end, 10);
		p = *end == '\n' ? end + 1 : end;
		c = index_of(d->cid, d->ncat, cat);
		if (c < 0 || days < 0 || days >= HIST_DAYS || kind < 0 ||
		    kind > 1)
			continue;
		d->hist[((size_t)kind * d->ncat + c) * HIST_DAYS + days] += n;
	}
}

static void
read_people(struct dash *d, const char *p)
{
	long long	n;
	int		mo, key, row;
	char		*end, scope;

	while (*p != '\0') {
		mo = (int)strtol(p, &end, 10) - d->lo;
		while (*end == ' ')
			end++;
		scope = *end != '\0' ? *end++ : '?';
		key = (int)strtol(end, &end, 10);
		n = strtoll(end, &end, 10);
		p = *end == '\n' ? end + 1 : end;
		row = -1;
		if (scope == 'a')
			row = 0;
		else if (scope == 'f' && index_of(d->fid, d->nf, key) >= 0)
			row = 1 + index_of(d->fid, d->nf, key);
		else if (scope == 'd' && index_of(d->did, d->nd, key) >= 0)
			row = 1 + d->nf + index_of(d->did, d->nd, key);
		else if (scope == 'c' && key >= 1 && key <= STATS_CHANNELS)
			row = 1 + d->nf + d->nd + key - 1;
		else if (scope == 'g' && key >= 0 && key < STATS_BANDS)
			row = 1 + d->nf + d->nd + STATS_CHANNELS + key;
		if (mo >= 0 && mo < d->nmonths && row >= 0)
			d->people[people_at(d, mo, row)] = n;
	}
}

/*
 * Suppression, month by month: each metric's cross table with its channel
 * list; people: the age list (additive: one band per account) with its
 * margin as "all", every other people count on its own (not additive: a
 * person counts in each field they took part in, so no total betrays a
 * cell, and only primary suppression applies).
 */
static void
protect(struct dash *d)
{
	struct dc_month	m;
	long long	age[STATS_BANDS + 1];
	unsigned char	agesup[STATS_BANDS + 1];
	int		metric, mo, r, gb;
	size_t		at;

	memset(&m, 0, sizeof(m));
	m.rows = d->nf;
	m.cols = d->nd;
	m.nchan = STATS_CHANNELS;
	m.k = d->k;
	for (metric = 0; metric < STATS_METRICS; metric++) {
		for (mo = 0; mo < d->nmonths; mo++) {
			m.v = &d->v[cell_at(d, metric, mo, 0, 0)];
			m.sup = &d->sup[cell_at(d, metric, mo, 0, 0)];
			m.chan = &d->ch[ch_at(d, metric, mo, 0)];
			m.chan_sup = &d->chsup[ch_at(d, metric, mo, 0)];
			disclosure_month(&m);
		}
	}
	gb = 1 + d->nf + d->nd + STATS_CHANNELS;
	for (mo = 0; mo < d->nmonths; mo++) {
		for (r = 0; r < gb; r++) {
			at = people_at(d, mo, r);
			if (disclosure_small(d->people[at], d->k))
				d->psup[at] = DC_PRIMARY;
		}
		memcpy(age, &d->people[people_at(d, mo, gb)],
		    sizeof(long long) * STATS_BANDS);
		memset(agesup, 0, sizeof(agesup));
		agesup[STATS_BANDS] = d->psup[people_at(d, mo, 0)];
		disclosure_list(age, agesup, STATS_BANDS, d->k);
		memcpy(&d->psup[people_at(d, mo, gb)], agesup, STATS_BANDS);
		if (agesup[STATS_BANDS])
			d->psup[people_at(d, mo, 0)] = agesup[STATS_BANDS];
	}
}

/* ------------------------------------------------------ the document */

static cJSON *
cell_json(long long n, int state)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	if (state != DC_SHOWN)
		cJSON_AddNullToObject(o, "n");
	else
		cJSON_AddNumberToObject(o, "n", (double)n);
	cJSON_AddBoolToObject(o, "suppressed", state != DC_SHOWN);
	return (o);
}

/*
 * A period total: the sum, or, when a month cell in it is withheld, the
 * lower bound "at_least", the sum of its shown month cells (a sum of
 * published cells, so it reveals nothing the month tables do not).
 */
static cJSON *
range_json(long long n, int state)
{
	cJSON	*o;

	o = cell_json(n, state);
	if (state != DC_SHOWN)
		cJSON_AddNumberToObject(o, "at_least", (double)n);
	return (o);
}

static void
month_name(char *buf, size_t len, int m)
{
	(void)snprintf(buf, len, "%04d-%02d", m / 12, m % 12 + 1);
}


/*
 * The period total of one cell of every month's table: a sum of shown
 * month cells, or suppressed with the sum of the shown ones as its lower
 * bound.  Survey responses carry no Handlungsfeld
 * (a survey may have several), so for one field they are not applicable:
 * NULL.
 */
static cJSON *
range_cell(const struct dash *d, int metric, int f, int di)
{
	long long	n;
	size_t		first, stride;
	int		state;

	if (metric == M_SURVEY && f != d->nf)
		return (NULL);
	first = cell_at(d, metric, 0, f, di);
	stride = d->nmonths > 1 ? cell_at(d, metric, 1, f, di) - first : 1;
	state = disclosure_sum(&d->v[first], &d->sup[first], d->nmonths,
	    stride, &n);
	return (range_json(n, state));
}

static void
add_cell(cJSON *o, const char *key, cJSON *cell)
{
	if (cell == NULL)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddItemToObject(o, key, cell);
}

static cJSON *
counts_of(const struct dash *d, int f, int di)
{
	cJSON	*o;
	int	m;

	o = cJSON_CreateObject();
	for (m = 0; m < STATS_METRICS; m++)
		add_cell(o, stats_metrics[m], range_cell(d, m, f, di));
	return (o);
}

/* [id, slug, name] of a taxonomy list at index i (0: none). */
static void
add_named(cJSON *o, const cJSON *list, int i)
{
	const cJSON	*e;

	if (i == 0) {
		cJSON_AddNullToObject(o, "slug");
		cJSON_AddNullToObject(o, "name");
		return;
	}
	e = cJSON_GetArrayItem(list, i - 1);
	cJSON_AddStringToObject(o, "slug",
	    cJSON_GetArrayItem(e, 1)->valuestring);
	cJSON_AddStringToObject(o, "name",
	    cJSON_GetArrayItem(e, 2)->valuestring);
}

static cJSON *
series_of(const struct dash *d, int metric)
{
	cJSON	*a, *c;
	char	month[16];
	size_t	at;
	int	mo;

	a = cJSON_CreateArray();
	for (mo = 0; mo < d->nmonths; mo++) {
		month_name(month, sizeof(month), d->lo + mo);
		if (metric == M_SURVEY && d->frow != d->nf) {
			c = cJSON_CreateObject();
			cJSON_AddNullToObject(c, "n");
			cJSON_AddBoolToObject(c, "suppressed", 0);
		} else {
			at = cell_at(d, metric, mo, d->frow, d->dcol);
			c = cell_json(d->v[at], d->sup[at]);
		}
		cJSON_AddStringToObject(c, "month", month);
		cJSON_AddItemToArray(a, c);
	}
	return (a);
}

/*
 * Small multiples per Handlungsfeld: each field's month cells of the
 * metrics that carry a field, in the district the filter chose.  They
 * are cells of the month tables, so their published values are the
 * tables' own; fields in taxonomy order, "none" last.
 */
static const int	field_series_metrics[] = { M_IDEAS_SUBMITTED,
	M_DEFECT_REPORTS };

static cJSON *
field_series_of(const struct dash *d)
{
	cJSON	*a, *row, *o, *cells, *c;
	char	month[16];
	size_t	at, k;
	int	i, f, mo, metric;

	a = cJSON_CreateArray();
	for (i = 1; i <= d->nf; i++) {
		f = i % d->nf;
		row = cJSON_CreateObject();
		add_named(row, d->fields, f);
		o = cJSON_AddObjectToObject(row, "series");
		for (k = 0; k < sizeof(field_series_metrics) /
		    sizeof(field_series_metrics[0]); k++) {
			metric = field_series_metrics[k];
			cells = cJSON_AddArrayToObject(o, stats_metrics[metric]);
			for (mo = 0; mo < d->nmonths; mo++) {
				at = cell_at(d, metric, mo, f, d->dcol);
				c = cell_json(d->v[at], d->sup[at]);
				month_name(month, sizeof(month), d->lo + mo);
				cJSON_AddStringToObject(c, "month", month);
				cJSON_AddItemToArray(cells, c);
			}
		}
		cJSON_AddItemToArray(a, row);
	}
	return (a);
}

static cJSON *
median_json(const struct dash *d, int kind, int c)
{
	cJSON	*o;
	double	days;
	int	state;

	state = disclosure_median(&d->hist[((size_t)kind * d->ncat + c) *
	    HIST_DAYS], HIST_DAYS, d->k, &days);
	o = cJSON_CreateObject();
	if (state == DC_SHOWN)
		cJSON_AddNumberToObject(o, "median_days", days);
	else
		cJSON_AddNullToObject(o, "median_days");
	cJSON_AddBoolToObject(o, "suppressed", state == DC_PRIMARY);
	return (o);
}

static cJSON *
defects_of(const struct dash *d)
{
	const cJSON	*e;
	cJSON		*a, *o;
	int		c, fid;

	a = cJSON_CreateArray();
	fid = d->frow == d->nf ? -1 : d->fid[d->frow];
	for (c = 1; c < d->ncat; c++) {
		if (fid >= 0 && d->cfield[c] != fid)
			continue;
		e = cJSON_GetArrayItem(d->cats, c - 1);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "category",
		    cJSON_GetArrayItem(e, 1)->valuestring);
		cJSON_AddStringToObject(o, "name",
		    cJSON_GetArrayItem(e, 2)->valuestring);
		cJSON_AddItemToObject(o, "acknowledge", median_json(d, 0, c));
		cJSON_AddItemToObject(o, "resolve", median_json(d, 1, c));
		cJSON_AddItemToArray(a, o);
	}
	return (a);
}

/*
 * Distinct participants per month in the filter's scope; a field and a
 * district together have no scope of their own (the aggregates keep
 * people per field and per district, not per pair): "scope": null.
 */
static cJSON *
participants_of(const struct dash *d)
{
	cJSON		*o, *a, *c;
	const char	*scope;
	char		month[16];
	size_t		at;
	int		mo, row;

	o = cJSON_CreateObject();
	scope = "all";
	row = 0;
	if (d->frow != d->nf && d->dcol != d->nd) {
		scope = NULL;
		row = -1;
	} else if (d->frow != d->nf) {
		scope = "field";
		row = 1 + d->frow;
	} else if (d->dcol != d->nd) {
		scope = "district";
		row = 1 + d->nf + d->dcol;
	}
	if (scope == NULL)
		cJSON_AddNullToObject(o, "scope");
	else
		cJSON_AddStringToObject(o, "scope", scope);
	a = cJSON_AddArrayToObject(o, "series");
	for (mo = 0; row >= 0 && mo < d->nmonths; mo++) {
		at = people_at(d, mo, row);
		c = cell_json(d->people[at], d->psup[at]);
		month_name(month, sizeof(month), d->lo + mo);
		cJSON_AddStringToObject(c, "month", month);
		cJSON_AddItemToArray(a, c);
	}
	return (o);
}

/* Projects are not people: counts by status, never suppressed. */
static cJSON *
projects_of(const struct dash *d)
{
	const cJSON	*v;
	cJSON		*o;
	double		total;
	int		i;

	o = cJSON_CreateObject();
	total = 0;
	for (i = 0; stats_statuses[i] != NULL; i++) {
		v = cJSON_GetObjectItemCaseSensitive(d->projects,
		    stats_statuses[i]);
		cJSON_AddNumberToObject(o, stats_statuses[i],
		    cJSON_IsNumber(v) ? v->valuedouble : 0);
		total += cJSON_IsNumber(v) ? v->valuedouble : 0;
	}
	cJSON_AddNumberToObject(o, "total", total);
	return (o);
}

static void
add_filter(cJSON *doc, const char *key, const cJSON *list, int i, int all)
{
	cJSON	*o;

	if (i == all) {
		cJSON_AddNullToObject(doc, key);
		return;
	}
	o = cJSON_AddObjectToObject(doc, key);
	add_named(o, list, i);
}

static void
add_head(cJSON *doc, const struct dash *d)
{
	cJSON	*months, *f;
	char	month[16];
	int	mo;

	month_name(month, sizeof(month), d->lo);
	cJSON_AddStringToObject(doc, "from", month);
	month_name(month, sizeof(month), d->lo + d->nmonths - 1);
	cJSON_AddStringToObject(doc, "to", month);
	cJSON_AddNumberToObject(doc, "k", d->k);
	cJSON_AddBoolToObject(doc, "internal", d->internal);
	f = cJSON_AddObjectToObject(doc, "filters");
	add_filter(f, "field", d->fields, d->frow == d->nf ? -1 :
	    d->frow, -1);
	add_filter(f, "district", d->districts, d->dcol == d->nd ? -1 :
	    d->dcol, -1);
	months = cJSON_AddArrayToObject(doc, "months");
	for (mo = 0; mo < d->nmonths; mo++) {
		month_name(month, sizeof(month), d->lo + mo);
		cJSON_AddItemToArray(months, cJSON_CreateString(month));
	}
}

static int
channel_sum(const struct dash *d, int metric, int c, long long *n)
{
	size_t	first;

	first = ch_at(d, metric, 0, c);
	return (disclosure_sum(&d->ch[first], &d->chsup[first], d->nmonths,
	    STATS_CHANNELS + 1, n));
}

/*
 * By channel: the city as a whole only.  Channel cells inside one field
 * or district would be a third dimension no month table protects (the
 * difference between a field's and the city's paper ideas is a count of
 * the other fields), so with a filter there is none: null.
 */
static cJSON *
channels_of(const struct dash *d)
{
	cJSON		*a, *row, *o;
	long long	n;
	int		c, m, state;

	if (d->frow != d->nf || d->dcol != d->nd)
		return (cJSON_CreateNull());
	a = cJSON_CreateArray();
	for (c = 0; c < STATS_CHANNELS; c++) {
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "channel", stats_channels[c]);
		o = cJSON_AddObjectToObject(row, "counts");
		for (m = 0; m < STATS_METRICS; m++) {
			state = channel_sum(d, m, c, &n);
			cJSON_AddItemToObject(o, stats_metrics[m],
			    range_json(n, state));
		}
		cJSON_AddItemToArray(a, row);
	}
	return (a);
}

static cJSON *
dashboard_doc(const struct dash *d)
{
	cJSON	*doc, *o, *a, *row;
	int	m, i;

	doc = cJSON_CreateObject();
	add_head(doc, d);
	cJSON_AddItemToObject(doc, "totals", counts_of(d, d->frow, d->dcol));
	o = cJSON_AddObjectToObject(doc, "series");
	for (m = 0; m < STATS_METRICS; m++)
		cJSON_AddItemToObject(o, stats_metrics[m], series_of(d, m));
	a = cJSON_AddArrayToObject(doc, "by_field");
	for (i = 1; i <= d->nf; i++) {
		row = cJSON_CreateObject();
		add_named(row, d->fields, i % d->nf);
		cJSON_AddItemToObject(row, "counts",
		    counts_of(d, i % d->nf, d->dcol));
		cJSON_AddItemToArray(a, row);
	}
	cJSON_AddItemToObject(doc, "by_field_series", field_series_of(d));
	a = cJSON_AddArrayToObject(doc, "by_district");
	for (i = 1; i <= d->nd; i++) {
		row = cJSON_CreateObject();
		add_named(row, d->districts, i % d->nd);
		cJSON_AddItemToObject(row, "counts",
		    counts_of(d, d->frow, i % d->nd));
		cJSON_AddItemToArray(a, row);
	}
	cJSON_AddItemToObject(doc, "by_channel", channels_of(d));
	cJSON_AddItemToObject(doc, "defects", defects_of(d));
	cJSON_AddItemToObject(doc, "participants", participants_of(d));
	cJSON_AddItemToObject(doc, "projects", projects_of(d));
	return (doc);
}

/* A people row summed over the months ("participant-months"). */
static int
people_sum(const struct dash *d, int row, long long *n)
{
	size_t	first;

	first = people_at(d, 0, row);
	return (disclosure_sum(&d->people[first], &d->psup[first],
	    d->nmonths, (size_t)P_ROWS(d), n));
}

/* The population_age setting: "under-18=16.2;18-29=..." (checked). */
static double
population_share(const char *setting, const char *band)
{
	const char	*p;
	size_t		len;

	len = strlen(band);
	for (p = setting; p != NULL && *p != '\0'; ) {
		if (strncmp(p, band, len) == 0 && p[len] == '=')
			return (strtod(p + len + 1, NULL));
		p = strchr(p, ';');
		if (p != NULL)
			p++;
	}
	return (-1);
}

/*
 * The inclusion monitor: contributions and participant-months by
 * channel, participant-months by age band beside the population's
 * shares.  A share among those who gave a band is shown only when every
 * band's count is (else the "not given" count would follow from it).
 */
static cJSON *
inclusion_doc(const struct dash *d)
{
	cJSON		*doc, *a, *row;
	long long	n, sum, given;
	int		c, m, state, all, b, gb;
	double		pop;

	doc = cJSON_CreateObject();
	add_head(doc, d);
	a = cJSON_AddArrayToObject(doc, "channels");
	for (c = 0; c < STATS_CHANNELS; c++) {
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "channel", stats_channels[c]);
		for (m = 0, sum = 0, all = DC_SHOWN; m < STATS_METRICS; m++) {
			if (!contribution[m])
				continue;
			if ((state = channel_sum(d, m, c, &n)) != DC_SHOWN)
				all = state;
			sum += n;
		}
		cJSON_AddItemToObject(row, "contributions",
		    range_json(sum, all));
		state = people_sum(d, 1 + d->nf + d->nd + c, &n);
		cJSON_AddItemToObject(row, "participant_months",
		    range_json(n, state));
		cJSON_AddItemToArray(a, row);
	}
	gb = 1 + d->nf + d->nd + STATS_CHANNELS;
	for (b = 1, given = 0, all = DC_SHOWN; b < STATS_BANDS; b++) {
		if (people_sum(d, gb + b, &n) != DC_SHOWN)
			all = DC_SECONDARY;
		given += n;
	}
	a = cJSON_AddArrayToObject(doc, "age_bands");
	for (b = 0; b < STATS_BANDS; b++) {
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "band", stats_bands[b]);
		state = people_sum(d, gb + b, &n);
		cJSON_AddItemToObject(row, "participant_months",
		    range_json(n, state));
		if (b > 0 && all == DC_SHOWN && given > 0)
			cJSON_AddNumberToObject(row, "share",
			    (double)n / (double)given);
		else
			cJSON_AddNullToObject(row, "share");
		pop = b > 0 ? population_share(d->population,
		    stats_bands[b]) : -1;
		if (pop >= 0)
			cJSON_AddNumberToObject(row, "population_share",
			    pop / 100);
		else
			cJSON_AddNullToObject(row, "population_share");
		cJSON_AddItemToArray(a, row);
	}
	cJSON_AddBoolToObject(doc, "population_configured",
	    d->population[0] != '\0');
	return (doc);
}

/* ------------------------------------------------------ the request */

/* YYYY-MM with a month 01..12 and a year 2000..2099. */
static int
month_param_ok(const char *s)
{
	if (strlen(s) != 7 || s[4] != '-')
		return (0);
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]) || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[5]) || !isdigit((unsigned char)s[6]))
		return (0);
	if (strncmp(s, "20", 2) != 0)
		return (0);
	return (atoi(s + 5) >= 1 && atoi(s + 5) <= 12);
}

/*
 * What can be checked before the query: the months' form and order, and
 * who may ask for the internal view.  Answers and returns 0 on an error.
 */
static int
check_params(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*from, *to, *internal;

	memset(&fe, 0, sizeof(fe));
	from = params_get(&rq->params, "from");
	to = params_get(&rq->params, "to");
	internal = params_get(&rq->params, "internal");
	if (from != NULL && !month_param_ok(from))
		error_field_add(&fe, "from", "a month YYYY-MM (2000-2099)");
	if (to != NULL && !month_param_ok(to))
		error_field_add(&fe, "to", "a month YYYY-MM (2000-2099)");
	if (fe.count == 0 && from != NULL && to != NULL &&
	    strcmp(from, to) > 0)
		error_field_add(&fe, "to", "before from");
	if (fe.count > 0) {
		respond_fields(req, 422, &fe);
		return (0);
	}
	if (internal != NULL && strcmp(internal, "1") == 0 &&
	    !(rq->who.roles & ROLE_PLANNER)) {
		memset(&fe, 0, sizeof(fe));
		error_field_add(&fe, "internal", "for planners only");
		/* 401 names its scheme (RFC 9110), as the dispatcher's does. */
		if (rq->who.account_id == 0)
			http_response_header(req, "www-authenticate",
			    "Bearer realm=\"mitwirken\"");
		respond_error(req, rq->who.account_id == 0 ? 401 : 403, NULL,
		    "The internal view is for planners.", &fe);
		return (0);
	}
	return (1);
}

/* After the query: names that do not exist, a range too long. */
static int
check_result(struct http_request *req, PGresult *res, int nmonths)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	memset(&fe, 0, sizeof(fe));
	if (params_get(&rq->params, "field") != NULL &&
	    PQgetisnull(res, 0, C_FIELD))
		error_field_add(&fe, "field", "unknown Handlungsfeld");
	if (params_get(&rq->params, "district") != NULL &&
	    PQgetisnull(res, 0, C_DISTRICT))
		error_field_add(&fe, "district", "unknown district");
	if (nmonths < 1)
		error_field_add(&fe, "to", "before from");
	else if (nmonths > STATS_MONTHS_MAX)
		error_field_add(&fe, "from", "at most 120 months");
	if (fe.count > 0) {
		respond_fields(req, 422, &fe);
		return (0);
	}
	return (1);
}

static int
json_col(PGresult *res, int col, cJSON **out)
{
	*out = PQgetisnull(res, 0, col) ? cJSON_CreateArray() :
	    cJSON_Parse(PQgetvalue(res, 0, col));
	return (*out != NULL);
}

static void
dash_alloc(struct dash *d)
{
	size_t	cells, chans;

	cells = (size_t)STATS_METRICS * d->nmonths * (d->nf + 1) *
	    (d->nd + 1);
	chans = (size_t)STATS_METRICS * d->nmonths * (STATS_CHANNELS + 1);
	d->v = zalloc(cells, sizeof(*d->v));
	d->sup = zalloc(cells, 1);
	d->ch = zalloc(chans, sizeof(*d->ch));
	d->chsup = zalloc(chans, 1);
	d->hist = zalloc((size_t)2 * d->ncat * HIST_DAYS, sizeof(*d->hist));
	d->people = zalloc((size_t)d->nmonths * P_ROWS(d),
	    sizeof(*d->people));
	d->psup = zalloc((size_t)d->nmonths * P_ROWS(d), 1);
}

static void
dash_read(struct dash *d, PGresult *res)
{
	const cJSON	*e;
	int		i, id;

	d->fid = ids_of(d->fields, &d->nf, 0);
	d->did = ids_of(d->districts, &d->nd, 0);
	d->cid = ids_of(d->cats, &d->ncat, 0);
	d->cfield = zalloc((size_t)d->ncat, sizeof(*d->cfield));
	i = 1;
	cJSON_ArrayForEach(e, d->cats)
		d->cfield[i++] = (int)cJSON_GetArrayItem(e, 3)->valuedouble;
	d->frow = d->nf;
	d->dcol = d->nd;
	if (!PQgetisnull(res, 0, C_FIELD)) {
		id = atoi(PQgetvalue(res, 0, C_FIELD));
		d->frow = index_of(d->fid, d->nf, id);
	}
	if (!PQgetisnull(res, 0, C_DISTRICT)) {
		id = atoi(PQgetvalue(res, 0, C_DISTRICT));
		d->dcol = index_of(d->did, d->nd, id);
	}
	dash_alloc(d);
	read_cells(d, PQgetvalue(res, 0, C_CELLS));
	read_durations(d, PQgetvalue(res, 0, C_DURATIONS));
	read_people(d, PQgetvalue(res, 0, C_DISTINCT));
	d->population = PQgetvalue(res, 0, C_POPULATION);
	protect(d);
}

/*
 * The one computation behind every format: check, query, suppress.
 * DB_DONE with *d filled (the caller frees it with dash_free); DB_FAILED
 * after an answer.
 */
static enum db_status
dash_step(struct http_request *req, struct dash *d)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	const char	*internal;

	memset(d, 0, sizeof(*d));
	if (!rq->prepared) {
		if (!check_params(req))
			return (DB_FAILED);
		rq->prepared = 1;
	}
	if ((s = db_step(req, &op_dashboard, &res)) != DB_DONE)
		return (s);
	d->lo = month_of(PQgetvalue(res, 0, C_LO));
	d->nmonths = month_of(PQgetvalue(res, 0, C_HI)) - d->lo + 1;
	if (!check_result(req, res, d->nmonths))
		return (DB_FAILED);
	internal = params_get(&rq->params, "internal");
	d->internal = internal != NULL && strcmp(internal, "1") == 0;
	d->k = atoi(PQgetvalue(res, 0, d->internal ? C_K_INTERNAL : C_K));
	if (d->k < 1)
		d->k = 1;
	if (!json_col(res, C_FIELDS, &d->fields) ||
	    !json_col(res, C_DISTRICTS, &d->districts) ||
	    !json_col(res, C_CATEGORIES, &d->cats) ||
	    (d->projects = PQgetisnull(res, 0, C_PROJECTS) ?
	    cJSON_CreateObject() : cJSON_Parse(PQgetvalue(res, 0,
	    C_PROJECTS))) == NULL) {
		dash_free(d);
		respond_error(req, 500, NULL, NULL, NULL);
		return (DB_FAILED);
	}
	dash_read(d, res);
	return (DB_DONE);
}

enum db_status
stats_dashboard_step(struct http_request *req, cJSON **out)
{
	struct dash	d;
	enum db_status	s;

	*out = NULL;
	if ((s = dash_step(req, &d)) != DB_DONE)
		return (s);
	*out = dashboard_doc(&d);
	dash_free(&d);
	return (DB_DONE);
}

enum db_status
stats_inclusion_step(struct http_request *req, cJSON **out)
{
	struct dash	d;
	enum db_status	s;

	*out = NULL;
	if ((s = dash_step(req, &d)) != DB_DONE)
		return (s);
	*out = inclusion_doc(&d);
	dash_free(&d);
	return (DB_DONE);
}

static int
send_doc(struct http_request *req, cJSON *doc)
{
	char	*body;

	body = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	respond(req, 200, JSON_TYPE, body, strlen(body));
	cJSON_free(body);
	return (KORE_RESULT_OK);
}

/* GET /api/v1/stats/dashboard */
int
api_stats_dashboard(struct http_request *req)
{
	enum db_status	s;
	cJSON		*doc;

	if ((s = stats_dashboard_step(req, &doc)) != DB_DONE)
		return (db_yield(s));
	return (send_doc(req, doc));
}

/* GET /api/v1/stats/inclusion */
int
api_stats_inclusion(struct http_request *req)
{
	enum db_status	s;
	cJSON		*doc;

	if ((s = stats_inclusion_step(req, &doc)) != DB_DONE)
		return (db_yield(s));
	return (send_doc(req, doc));
}

/* ------------------------------------------------------ CSV */

#define CSV_TYPE	"text/csv; charset=utf-8; header=present"

static void
csv_text(struct strbuf *b, const char *s)
{
	const char	*p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		strbuf_appends(b, s);
		return;
	}
	strbuf_appends(b, "\"");
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			strbuf_appends(b, "\"");
		strbuf_append(b, p, 1);
	}
	strbuf_appends(b, "\"");
}

/*
 * One line: section, metric, period, field, district, channel,
 * category, then the cell: its value (empty when suppressed), the flag,
 * and a suppressed period total's lower bound (else empty).  A cell
 * that does not apply (null) writes no line.
 */
static void
csv_line(struct strbuf *b, const char *const cols[7], const cJSON *cell)
{
	const cJSON	*n, *s, *low;
	int		i;

	if (!cJSON_IsObject(cell))
		return;
	n = cJSON_GetObjectItemCaseSensitive(cell, "n");
	if (n == NULL)
		n = cJSON_GetObjectItemCaseSensitive(cell, "median_days");
	s = cJSON_GetObjectItemCaseSensitive(cell, "suppressed");
	if (!cJSON_IsNumber(n) && !cJSON_IsTrue(s))
		return;
	for (i = 0; i < 7; i++) {
		csv_text(b, cols[i] != NULL ? cols[i] : "");
		strbuf_appends(b, ",");
	}
	if (cJSON_IsNumber(n))
		strbuf_appendf(b, "%.15g", n->valuedouble);
	strbuf_appendf(b, ",%d,", cJSON_IsTrue(s) ? 1 : 0);
	low = cJSON_GetObjectItemCaseSensitive(cell, "at_least");
	if (cJSON_IsNumber(low))
		strbuf_appendf(b, "%.15g", low->valuedouble);
	strbuf_appends(b, "\r\n");
}

static const char *
slug_or(const cJSON *o, const char *none)
{
	const cJSON	*s;

	s = cJSON_GetObjectItemCaseSensitive(o, "slug");
	return (cJSON_IsString(s) ? s->valuestring : none);
}

static void
csv_counts(struct strbuf *b, const char *section, const char *cols[7],
    const cJSON *counts)
{
	int	m;

	cols[0] = section;
	for (m = 0; m < STATS_METRICS; m++) {
		cols[1] = stats_metrics[m];
		csv_line(b, cols, cJSON_GetObjectItemCaseSensitive(counts,
		    stats_metrics[m]));
	}
}

static void
csv_months(struct strbuf *b, const cJSON *doc, const char *cols[7])
{
	const cJSON	*series, *e;
	int		m;

	series = cJSON_GetObjectItemCaseSensitive(doc, "series");
	cols[0] = "month";
	for (m = 0; m < STATS_METRICS; m++) {
		cols[1] = stats_metrics[m];
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(series,
		    stats_metrics[m])) {
			cols[2] = cJSON_GetObjectItemCaseSensitive(e,
			    "month")->valuestring;
			csv_line(b, cols, e);
		}
	}
	cols[0] = "participants";
	cols[1] = "distinct_participants";
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(doc, "participants"), "series")) {
		cols[2] = cJSON_GetObjectItemCaseSensitive(e,
		    "month")->valuestring;
		csv_line(b, cols, e);
	}
}

/* The small multiples' cells: each field's months, per metric. */
static void
csv_field_months(struct strbuf *b, const cJSON *doc, const char *cols[7])
{
	const cJSON	*e, *m, *c;

	cols[0] = "field_month";
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc,
	    "by_field_series")) {
		cols[3] = slug_or(e, "none");
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(e,
		    "series")) {
			cols[1] = m->string;
			cJSON_ArrayForEach(c, m) {
				cols[2] = cJSON_GetObjectItemCaseSensitive(c,
				    "month")->valuestring;
				csv_line(b, cols, c);
			}
		}
	}
}

static void
csv_breakdowns(struct strbuf *b, const cJSON *doc, const char *cols[7],
    const char *fall, const char *dall)
{
	const cJSON	*e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc,
	    "by_field")) {
		cols[3] = slug_or(e, "none");
		cols[4] = dall;
		csv_counts(b, "field", cols, cJSON_GetObjectItemCaseSensitive(e,
		    "counts"));
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc,
	    "by_district")) {
		cols[3] = fall;
		cols[4] = slug_or(e, "none");
		csv_counts(b, "district", cols,
		    cJSON_GetObjectItemCaseSensitive(e, "counts"));
	}
	cols[3] = fall;
	cols[4] = dall;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc,
	    "by_channel")) {
		cols[5] = cJSON_GetObjectItemCaseSensitive(e,
		    "channel")->valuestring;
		csv_counts(b, "channel", cols,
		    cJSON_GetObjectItemCaseSensitive(e, "counts"));
	}
	cols[5] = "all";
}

static void
csv_rest(struct strbuf *b, const cJSON *doc, const char *cols[7])
{
	const cJSON	*e, *p;
	int		i;

	cols[0] = "defect_median_days";
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc,
	    "defects")) {
		cols[6] = cJSON_GetObjectItemCaseSensitive(e,
		    "category")->valuestring;
		cols[1] = "acknowledge";
		csv_line(b, cols, cJSON_GetObjectItemCaseSensitive(e,
		    "acknowledge"));
		cols[1] = "resolve";
		csv_line(b, cols, cJSON_GetObjectItemCaseSensitive(e,
		    "resolve"));
	}
	cols[6] = NULL;
	cols[0] = "projects";
	p = cJSON_GetObjectItemCaseSensitive(doc, "projects");
	for (i = 0; stats_statuses[i] != NULL; i++) {
		cols[1] = stats_statuses[i];
		e = cJSON_GetObjectItemCaseSensitive(p, stats_statuses[i]);
		strbuf_appends(b, "projects,");
		csv_text(b, cols[1]);
		strbuf_appendf(b, ",%s,%s,all,all,,%.15g,0,\r\n", cols[2],
		    cols[3], e->valuedouble);
	}
}

/* The document in long format (RFC 4180): one line per published cell. */
static void
csv_render(struct strbuf *b, const cJSON *doc)
{
	const char	*cols[7], *fall, *dall;
	char		period[32];
	const cJSON	*f;

	f = cJSON_GetObjectItemCaseSensitive(doc, "filters");
	fall = slug_or(cJSON_GetObjectItemCaseSensitive(f, "field"), "all");
	dall = slug_or(cJSON_GetObjectItemCaseSensitive(f, "district"),
	    "all");
	strbuf_appends(b, "section,metric,period,field,district,channel,"
	    "category,value,suppressed,at_least\r\n");
	memset(cols, 0, sizeof(cols));
	cols[3] = fall;
	cols[4] = dall;
	cols[5] = "all";
	csv_months(b, doc, cols);
	csv_field_months(b, doc, cols);
	cols[3] = fall;
	(void)snprintf(period, sizeof(period), "%s/%s",
	    cJSON_GetObjectItemCaseSensitive(doc, "from")->valuestring,
	    cJSON_GetObjectItemCaseSensitive(doc, "to")->valuestring);
	cols[2] = period;
	csv_counts(b, "total", cols, cJSON_GetObjectItemCaseSensitive(doc,
	    "totals"));
	csv_breakdowns(b, doc, cols, fall, dall);
	cols[3] = fall;
	cols[4] = "all";
	csv_rest(b, doc, cols);
}

/* GET /api/v1/stats/dashboard.csv */
int
api_stats_dashboard_csv(struct http_request *req)
{
	struct strbuf	b;
	enum db_status	s;
	cJSON		*doc;

	if ((s = stats_dashboard_step(req, &doc)) != DB_DONE)
		return (db_yield(s));
	strbuf_init(&b, 16384);
	csv_render(&b, doc);
	cJSON_Delete(doc);
	respond(req, 200, CSV_TYPE, b.data, b.len);
	strbuf_free(&b);
	return (KORE_RESULT_OK);
}

/*
 * The evaluation report (evaluation.c) reads the dashboard's document for
 * two periods in one request: this lets the statement run again with the
 * next period's months (one source of truth for both).
 */
void
stats_dashboard_again(struct http_request *req)
{
	PGresult	*res;

	if ((res = db_take(req, &op_dashboard)) != NULL)
		PQclear(res);
}
