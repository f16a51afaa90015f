/*
 * Results as a page: the results document (results.c) decorated with what
 * the template needs to draw server-side SVG bar charts, and the numbers
 * in the reader's language for the tables that carry the same figures.
 * A suppressed count (null) is drawn as no bar and written "< k".
 */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mitwirken.h"
#include "surveys/surveys.h"

#define BAR_MAX		360	/* SVG units of a 100 % bar */
#define ROW_H		34	/* SVG units per option: label, then bar */

static void
add_number(cJSON *o, const char *key, double v, int decimals, enum lang l)
{
	char	buf[64];

	chart_number(buf, sizeof(buf), v, decimals, l);
	cJSON_AddStringToObject(o, key, buf);
}

/* count_text, share_text and the bar of one cell. */
static void
cell(cJSON *o, const char *hidden, enum lang l)
{
	const cJSON	*c, *s;
	char		buf[64];

	c = cJSON_GetObjectItemCaseSensitive(o, "count");
	s = cJSON_GetObjectItemCaseSensitive(o, "share");
	if (!cJSON_IsNumber(c)) {
		cJSON_AddStringToObject(o, "count_text", hidden);
		cJSON_AddStringToObject(o, "share_text", "–");
		cJSON_AddNumberToObject(o, "bar", 0);
		cJSON_AddBoolToObject(o, "hidden", 1);
		return;
	}
	add_number(o, "count_text", c->valuedouble, 0, l);
	if (cJSON_IsNumber(s)) {
		chart_number(buf, sizeof(buf), 100 * s->valuedouble, 1,
		    l);
		(void)strncat(buf, " %", sizeof(buf) - strlen(buf) - 1);
		cJSON_AddStringToObject(o, "share_text", buf);
		cJSON_AddNumberToObject(o, "bar",
		    floor(s->valuedouble * BAR_MAX + 0.5));
	} else {
		cJSON_AddStringToObject(o, "share_text", "–");
		cJSON_AddNumberToObject(o, "bar", 0);
	}
}

/* Positions of each option's label and bar in the question's SVG. */
static void
bars(cJSON *q, const char *hidden, enum lang l)
{
	cJSON	*opts, *o;
	double	y;
	int	n;

	opts = cJSON_GetObjectItemCaseSensitive(q, "options");
	n = 0;
	cJSON_ArrayForEach(o, opts) {
		cell(o, hidden, l);
		y = n * ROW_H;
		cJSON_AddNumberToObject(o, "label_y", y + 12);
		cJSON_AddNumberToObject(o, "bar_y", y + 16);
		cJSON_AddNumberToObject(o, "value_x",
		    json_num(o, "bar") + 6);
		cJSON_AddNumberToObject(o, "value_y", y + 27);
		n++;
	}
	cJSON_AddNumberToObject(q, "chart_height", n * ROW_H + 4);
	cJSON_AddBoolToObject(q, "has_chart", n > 0);
}

static void
stat(cJSON *q, const char *key, int decimals, enum lang l)
{
	const cJSON	*v;
	char		name[32];

	v = cJSON_GetObjectItemCaseSensitive(q, key);
	(void)snprintf(name, sizeof(name), "%s_text", key);
	if (cJSON_IsNumber(v))
		add_number(q, name, v->valuedouble, decimals, l);
	else
		cJSON_AddStringToObject(q, name, "–");
}

static void
count_text(cJSON *o, const char *key, const char *hidden, enum lang l)
{
	const cJSON	*v;
	char		name[32];

	v = cJSON_GetObjectItemCaseSensitive(o, key);
	(void)snprintf(name, sizeof(name), "%s_text", key);
	if (cJSON_IsNumber(v))
		add_number(o, name, v->valuedouble, 0, l);
	else
		cJSON_AddStringToObject(o, name, hidden);
}

static void
question(cJSON *q, const char *hidden, enum lang l)
{
	const char	*type;
	cJSON		*rows, *r, *cols, *c;

	type = json_str(q, "type");
	count_text(q, "seen", hidden, l);
	count_text(q, "answered", hidden, l);
	if (cJSON_GetObjectItemCaseSensitive(q, "options") != NULL)
		bars(q, hidden, l);
	if (cJSON_GetObjectItemCaseSensitive(q, "mean") != NULL ||
	    cJSON_GetObjectItemCaseSensitive(q, "median") != NULL) {
		cJSON_AddBoolToObject(q, "has_stats", 1);
		count_text(q, "n", hidden, l);
		stat(q, "mean", 2, l);
		stat(q, "median", 2, l);
		stat(q, "sd", 2, l);
		stat(q, "min", 2, l);
		stat(q, "max", 2, l);
	}
	if (type != NULL && strcmp(type, "ranking") == 0) {
		cJSON_AddBoolToObject(q, "is_ranking", 1);
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(q,
		    "choices")) {
			count_text(c, "first", hidden, l);
			count_text(c, "n", hidden, l);
			stat(c, "mean_rank", 2, l);
		}
	}
	if (type != NULL && strcmp(type, "matrix") == 0) {
		cJSON_AddBoolToObject(q, "is_matrix", 1);
		rows = cJSON_GetObjectItemCaseSensitive(q, "rows");
		cJSON_ArrayForEach(r, rows) {
			count_text(r, "answered", hidden, l);
			cols = cJSON_GetObjectItemCaseSensitive(r, "columns");
			cJSON_ArrayForEach(c, cols)
				cell(c, hidden, l);
		}
		/* The header row of the table: the first row's columns. */
		if ((r = cJSON_GetArrayItem(rows, 0)) != NULL)
			cJSON_AddItemReferenceToObject(q, "header",
			    cJSON_GetObjectItemCaseSensitive(r, "columns"));
	}
	if (type != NULL && (strcmp(type, "text") == 0 ||
	    strcmp(type, "comment") == 0))
		cJSON_AddBoolToObject(q, "is_free_text", 1);
}

/* Each count of the cross-table as an object the template can show. */
static void
crosstab(cJSON *x, const char *hidden, enum lang l)
{
	cJSON	*r, *c, *cells, *o;

	if (!cJSON_IsObject(x))
		return;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(x, "columns"))
		count_text(c, "total", hidden, l);
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(x, "rows")) {
		count_text(r, "total", hidden, l);
		cells = cJSON_AddArrayToObject(r, "cells");
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(r,
		    "counts")) {
			o = cJSON_CreateObject();
			if (cJSON_IsNumber(c))
				add_number(o, "text", c->valuedouble, 0, l);
			else
				cJSON_AddStringToObject(o, "text", hidden);
			cJSON_AddItemToArray(cells, o);
		}
	}
	count_text(x, "total", hidden, l);
}

/* The day in the reader's words ("2. Dezember 2026"). */
static void
day_text(cJSON *d, enum lang l)
{
	struct when	w;
	char		text[48];

	if (json_str(d, "date") == NULL || !when_parse(json_str(d, "date"), &w))
		return;
	when_format(text, sizeof(text), &w, l, 0, 0);
	cJSON_AddStringToObject(d, "date_text", text);
}

/* Vertical bars, one per day, scaled to the busiest day. */
static void
days(cJSON *doc, const char *hidden, enum lang l)
{
	cJSON	*list, *d;
	double	max, v, w;
	int	n, i;

	list = cJSON_GetObjectItemCaseSensitive(doc, "days");
	n = cJSON_GetArraySize(list);
	max = 0;
	cJSON_ArrayForEach(d, list) {
		if ((v = json_num(d, "count")) > max)
			max = v;
	}
	w = n > 0 ? 480.0 / n : 0;
	i = 0;
	cJSON_ArrayForEach(d, list) {
		count_text(d, "count", hidden, l);
		day_text(d, l);
		v = json_num(d, "count");
		if (isnan(v))
			v = 0;
		cJSON_AddNumberToObject(d, "x", i * w + w * 0.1);
		cJSON_AddNumberToObject(d, "w", w * 0.8 > 1 ? w * 0.8 : 1);
		cJSON_AddNumberToObject(d, "h", max > 0 ?
		    floor(v / max * 120 + 0.5) : 0);
		cJSON_AddNumberToObject(d, "y", 120 - (max > 0 ?
		    floor(v / max * 120 + 0.5) : 0));
		i++;
	}
	cJSON_AddBoolToObject(doc, "has_days", n > 0);
}

/* Adds the drawing and the formatted numbers to a results document. */
void
survey_charts(cJSON *doc, const char *hidden, enum lang l)
{
	cJSON	*q;

	count_text(doc, "respondents", hidden, l);
	cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(doc,
	    "questions"))
		question(q, hidden, l);
	crosstab(cJSON_GetObjectItemCaseSensitive(doc, "crosstab"), hidden, l);
	days(doc, hidden, l);
}
