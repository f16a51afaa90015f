/*
 * Open data, the pure part: one row of a dataset as CSV (RFC 4180, text
 * cells neutralised against spreadsheet formulas as in the survey export)
 * or as a JSON object typed by the data dictionary, and published survey
 * results flattened into rows of (question, item, column, measure, value).
 * The server streams pages of rows through these (src/stats/opendata.c).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

/* Kept in the order of enum od_type. */
static const char *const type_names[] = { "integer", "number", "string",
	"date", "datetime", "boolean", "string[]", "integer[]", NULL };

const char *
opendata_type_name(enum od_type t)
{
	return (type_names[t]);
}

void
opendata_csv_header(struct strbuf *b, const struct od_column *cols)
{
	int	i;

	for (i = 0; cols[i].name != NULL; i++) {
		if (i > 0)
			strbuf_append(b, ",", 1);
		strbuf_appends(b, cols[i].name);
	}
	strbuf_append(b, "\r\n", 2);
}

/* NULL: an empty cell.  Numbers and dates pass as PostgreSQL wrote them. */
void
opendata_csv_row(struct strbuf *b, const struct od_column *cols,
    const char *const *v)
{
	int	i;

	for (i = 0; cols[i].name != NULL; i++) {
		if (i > 0)
			strbuf_append(b, ",", 1);
		if (v[i] == NULL)
			continue;
		if (cols[i].type == OD_STRING || cols[i].type == OD_STRINGS)
			tabular_text_cell(b, TAB_RFC4180, v[i], strlen(v[i]));
		else
			strbuf_appends(b, v[i]);
	}
	strbuf_append(b, "\r\n", 2);
}

static void
json_text(struct strbuf *b, const char *s, size_t len)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		c;
	size_t			i;

	strbuf_append(b, "\"", 1);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			strbuf_append(b, "\\", 1);
			strbuf_append(b, &s[i], 1);
		} else if (c == '\n') {
			strbuf_append(b, "\\n", 2);
		} else if (c < 0x20) {
			strbuf_append(b, "\\u00", 4);
			strbuf_append(b, &hex[c >> 4], 1);
			strbuf_append(b, &hex[c & 15], 1);
		} else {
			strbuf_append(b, &s[i], 1);
		}
	}
	strbuf_append(b, "\"", 1);
}

/* A list cell: ';'-separated in CSV, an array in JSON. */
static void
json_list(struct strbuf *b, const char *s, int numbers)
{
	size_t	n;
	int	first = 1;

	strbuf_append(b, "[", 1);
	while (*s != '\0') {
		n = strcspn(s, ";");
		if (!first)
			strbuf_append(b, ",", 1);
		first = 0;
		if (numbers)
			strbuf_append(b, s, n);
		else
			json_text(b, s, n);
		s += n;
		if (*s == ';')
			s++;
	}
	strbuf_append(b, "]", 1);
}

static void
json_cell(struct strbuf *b, enum od_type t, const char *v)
{
	if (v == NULL) {
		strbuf_appends(b, t == OD_STRINGS || t == OD_INTEGERS ? "[]" :
		    "null");
		return;
	}
	switch (t) {
	case OD_INTEGER:
	case OD_NUMBER:
		strbuf_appends(b, v);
		break;
	case OD_BOOLEAN:
		strbuf_appends(b, v[0] == 't' ? "true" : "false");
		break;
	case OD_STRINGS:
	case OD_INTEGERS:
		json_list(b, v, t == OD_INTEGERS);
		break;
	default:
		json_text(b, v, strlen(v));
		break;
	}
}

/* One object of the JSON array; first: no separating comma before it. */
void
opendata_json_row(struct strbuf *b, const struct od_column *cols,
    const char *const *v, int first)
{
	int	i;

	strbuf_appends(b, first ? "\n{" : ",\n{");
	for (i = 0; cols[i].name != NULL; i++) {
		if (i > 0)
			strbuf_append(b, ",", 1);
		json_text(b, cols[i].name, strlen(cols[i].name));
		strbuf_append(b, ":", 1);
		json_cell(b, cols[i].type, v[i]);
	}
	strbuf_append(b, "}", 1);
}

/* ---- Published survey results as rows ---- */

struct flat {
	const char	*survey_id;
	const char	*title;
	opendata_emit	emit;
	void		*arg;
};

/* As cJSON prints it: 15 digits, 17 when 15 do not read back the same. */
static void
number_text(double v, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%.15g", v);
	if (strtod(buf, NULL) != v)
		(void)snprintf(buf, len, "%.17g", v);
}

/* The measures a results object may carry, in the order they are shown. */
static const char *const measures[] = { "seen", "answered", "count",
	"share", "first", "n", "mean", "median", "sd", "mean_rank", NULL };

static void
emit_measures(struct flat *f, const cJSON *q, const cJSON *item,
    const cJSON *col, const cJSON *o)
{
	struct od_survey_row	r;
	const cJSON		*m;
	char			num[40];
	int			i;

	memset(&r, 0, sizeof(r));
	r.survey_id = f->survey_id;
	r.survey_title = f->title;
	r.question = json_str(q, "name");
	r.question_title = json_str(q, "title");
	r.question_type = json_str(q, "type");
	r.item = item != NULL ? json_str(item, "value") : NULL;
	r.item_label = item != NULL ? json_str(item, "label") : NULL;
	r.column = col != NULL ? json_str(col, "value") : NULL;
	r.column_label = col != NULL ? json_str(col, "label") : NULL;
	for (i = 0; measures[i] != NULL; i++) {
		if ((m = cJSON_GetObjectItemCaseSensitive(o, measures[i])) ==
		    NULL)
			continue;
		r.measure = measures[i];
		r.value = NULL;
		if (cJSON_IsNumber(m)) {
			number_text(m->valuedouble, num, sizeof(num));
			r.value = num;
		}
		f->emit(&r, f->arg);
	}
}

static void
flatten_list(struct flat *f, const cJSON *q, const char *name)
{
	const cJSON	*item, *col;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(q, name)) {
		emit_measures(f, q, item, NULL, item);
		cJSON_ArrayForEach(col,
		    cJSON_GetObjectItemCaseSensitive(item, "columns"))
			emit_measures(f, q, item, col, col);
	}
}

/*
 * Calls emit for every figure of a results document (results_build with
 * k > 0): a suppressed figure is a row without a value, so the rows say
 * what was withheld.  A survey with too few respondents yields one row,
 * its respondents, without a value.  Text answers have no figures.
 */
void
opendata_survey_rows(const cJSON *doc, const char *survey_id,
    const char *title, opendata_emit emit, void *arg)
{
	struct od_survey_row	r;
	struct flat		f;
	const cJSON		*q, *resp;
	char			num[40];

	f.survey_id = survey_id;
	f.title = title;
	f.emit = emit;
	f.arg = arg;
	memset(&r, 0, sizeof(r));
	r.survey_id = survey_id;
	r.survey_title = title;
	r.measure = "respondents";
	resp = cJSON_GetObjectItemCaseSensitive(doc, "respondents");
	if (cJSON_IsNumber(resp)) {
		number_text(resp->valuedouble, num, sizeof(num));
		r.value = num;
	}
	emit(&r, arg);
	cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(doc,
	    "questions")) {
		emit_measures(&f, q, NULL, NULL, q);
		flatten_list(&f, q, "options");
		flatten_list(&f, q, "choices");
		flatten_list(&f, q, "rows");
	}
}
