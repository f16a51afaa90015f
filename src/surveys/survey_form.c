/*
 * The server-rendered survey form: any definition, one page at a time,
 * without JavaScript.  Every question of the survey is in the one <form>:
 * the current page's as inputs, the others' answers as hidden fields, so
 * going forward and back keeps everything and nothing is stored until
 * the last page is sent (signed-in citizens also get a draft per step).
 * This file only turns a definition, the answers so far and the problems
 * into the data the template shows (assets/templates/survey_form.html).
 */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mitwirken.h"
#include "surveys/surveys.h"

static const char *
text_in(const struct survey_text *t, enum lang l)
{
	const char	*s;

	s = (l == LANG_EN) ? t->en : t->de;
	return (s != NULL ? s : "");
}

/* The text form of an answer value, as the choices hold it. */
static void
value_text(const cJSON *v, char *buf, size_t len)
{
	buf[0] = '\0';
	if (cJSON_IsString(v))
		(void)snprintf(buf, len, "%s", v->valuestring);
	else if (cJSON_IsNumber(v) && isfinite(v->valuedouble))
		(void)snprintf(buf, len, "%.15g", v->valuedouble);
	else if (cJSON_IsBool(v))
		(void)snprintf(buf, len, "%s", cJSON_IsTrue(v) ? "true" :
		    "false");
}

/* For the number field: "1,5" in German, as the person would type it. */
static void
number_text(const cJSON *v, enum lang l, char *buf, size_t len)
{
	char	*c;

	value_text(v, buf, len);
	if (l == LANG_DE && cJSON_IsNumber(v) && (c = strchr(buf, '.')))
		*c = ',';
}

static int
in_array(const cJSON *arr, const char *value)
{
	const cJSON	*e;
	char		buf[256];

	cJSON_ArrayForEach(e, arr) {
		value_text(e, buf, sizeof(buf));
		if (strcmp(buf, value) == 0)
			return (1);
	}
	return (0);
}

/* Position (1-based) of value in a ranking answer, 0 if absent. */
static int
rank_of(const cJSON *arr, const char *value)
{
	const cJSON	*e;
	char		buf[256];
	int		i;

	i = 0;
	cJSON_ArrayForEach(e, arr) {
		i++;
		value_text(e, buf, sizeof(buf));
		if (strcmp(buf, value) == 0)
			return (i);
	}
	return (0);
}

static void
hidden(cJSON *list, const char *name, const char *value)
{
	cJSON	*h;

	h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "name", name);
	cJSON_AddStringToObject(h, "value", value);
	cJSON_AddItemToArray(list, h);
}

/* An answer of a question not on this page, kept as hidden fields. */
static void
keep_hidden(const struct survey_question *q, const cJSON *a, cJSON *list)
{
	char		field[SURVEY_NAME_MAX + 40], buf[256];
	const cJSON	*v;
	int		i, r;

	if (a == NULL || cJSON_IsNull(a))
		return;
	(void)snprintf(field, sizeof(field), "q_%s", q->name);
	switch (q->type) {
	case SQ_CHECKBOX:
		for (i = 0; i < q->nchoices; i++) {
			if (!in_array(a, q->choices[i].value))
				continue;
			(void)snprintf(field, sizeof(field), "q_%s.%d",
			    q->name, i);
			hidden(list, field, q->choices[i].value);
		}
		break;
	case SQ_RANKING:
		for (i = 0; i < q->nchoices; i++) {
			if ((r = rank_of(a, q->choices[i].value)) == 0)
				continue;
			(void)snprintf(field, sizeof(field), "q_%s.%d",
			    q->name, i);
			(void)snprintf(buf, sizeof(buf), "%d", r);
			hidden(list, field, buf);
		}
		break;
	case SQ_MATRIX:
		for (i = 0; i < q->nrows; i++) {
			v = cJSON_GetObjectItemCaseSensitive(a,
			    q->rows[i].value);
			if (v == NULL)
				continue;
			(void)snprintf(field, sizeof(field), "q_%s.%d",
			    q->name, i);
			value_text(v, buf, sizeof(buf));
			hidden(list, field, buf);
		}
		break;
	default:
		value_text(a, buf, sizeof(buf));
		if (cJSON_IsString(a))
			hidden(list, field, a->valuestring);
		else
			hidden(list, field, buf);
		break;
	}
}

static const char *
type_flag(enum survey_qtype t)
{
	switch (t) {
	case SQ_RADIOGROUP:	return ("is_radio");
	case SQ_DROPDOWN:	return ("is_dropdown");
	case SQ_CHECKBOX:	return ("is_checkbox");
	case SQ_RATING:		return ("is_rating");
	case SQ_TEXT:		return ("is_text");
	case SQ_NUMBER:		return ("is_number");
	case SQ_COMMENT:	return ("is_comment");
	case SQ_RANKING:	return ("is_ranking");
	case SQ_MATRIX:		return ("is_matrix");
	}
	return ("is_text");
}

static cJSON *
options(const struct survey_question *q, const cJSON *a, enum lang l)
{
	cJSON	*list, *o;
	char	field[SURVEY_NAME_MAX + 40], id[SURVEY_NAME_MAX + 40];
	char	buf[256];
	int	i, j, r;

	list = cJSON_CreateArray();
	value_text(a, buf, sizeof(buf));
	for (i = 0; i < q->nchoices; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "value", q->choices[i].value);
		cJSON_AddStringToObject(o, "label",
		    text_in(&q->choices[i].text, l));
		(void)snprintf(id, sizeof(id), "q-%s-%d", q->name, i);
		cJSON_AddStringToObject(o, "id", id);
		(void)snprintf(field, sizeof(field), "q_%s.%d", q->name, i);
		cJSON_AddStringToObject(o, "field", field);
		if (q->type == SQ_CHECKBOX)
			cJSON_AddBoolToObject(o, "checked", a != NULL &&
			    in_array(a, q->choices[i].value));
		else if (q->type == SQ_RANKING) {
			r = a != NULL ? rank_of(a, q->choices[i].value) : 0;
			cJSON *ranks = cJSON_AddArrayToObject(o, "ranks");
			for (j = 1; j <= q->nchoices; j++) {
				cJSON *k = cJSON_CreateObject();
				(void)snprintf(buf, sizeof(buf), "%d", j);
				cJSON_AddStringToObject(k, "rank", buf);
				cJSON_AddBoolToObject(k, "selected", j == r);
				cJSON_AddItemToArray(ranks, k);
			}
			value_text(a, buf, sizeof(buf));
		} else
			cJSON_AddBoolToObject(o, "checked", a != NULL &&
			    strcmp(buf, q->choices[i].value) == 0);
		cJSON_AddItemToArray(list, o);
	}
	return (list);
}

static cJSON *
matrix_rows(const struct survey_question *q, const cJSON *a, enum lang l)
{
	cJSON		*rows, *row, *cols, *c;
	const cJSON	*v;
	char		field[SURVEY_NAME_MAX + 40], id[SURVEY_NAME_MAX + 40];
	char		buf[256];
	int		i, j;

	rows = cJSON_CreateArray();
	for (i = 0; i < q->nrows; i++) {
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "label",
		    text_in(&q->rows[i].text, l));
		(void)snprintf(field, sizeof(field), "q_%s.%d", q->name, i);
		cJSON_AddStringToObject(row, "field", field);
		(void)snprintf(id, sizeof(id), "q-%s-r%d", q->name, i);
		cJSON_AddStringToObject(row, "id", id);
		v = a != NULL ? cJSON_GetObjectItemCaseSensitive(a,
		    q->rows[i].value) : NULL;
		value_text(v, buf, sizeof(buf));
		cols = cJSON_AddArrayToObject(row, "columns");
		for (j = 0; j < q->nchoices; j++) {
			c = cJSON_CreateObject();
			cJSON_AddStringToObject(c, "value",
			    q->choices[j].value);
			cJSON_AddStringToObject(c, "label",
			    text_in(&q->choices[j].text, l));
			(void)snprintf(id, sizeof(id), "q-%s-r%d-c%d",
			    q->name, i, j);
			cJSON_AddStringToObject(c, "id", id);
			cJSON_AddBoolToObject(c, "checked", v != NULL &&
			    strcmp(buf, q->choices[j].value) == 0);
			cJSON_AddItemToArray(cols, c);
		}
		cJSON_AddItemToArray(rows, row);
	}
	return (rows);
}

/* The problem of question q (its answer's JSON Pointer starts /name). */
static const char *
problem_for(const struct survey_problems *pr, const char *name)
{
	size_t	n;
	int	i;

	if (pr == NULL)
		return (NULL);
	n = strlen(name);
	for (i = 0; i < pr->count; i++) {
		if (pr->items[i].path[0] == '/' &&
		    strncmp(pr->items[i].path + 1, name, n) == 0 &&
		    (pr->items[i].path[n + 1] == '\0' ||
		    pr->items[i].path[n + 1] == '/'))
			return (pr->items[i].reason);
	}
	return (NULL);
}

static cJSON *
question(const struct survey_question *q, const cJSON *a,
    const struct survey_problems *pr, int visible, enum lang l)
{
	cJSON		*o;
	const char	*err;
	char		buf[64], id[SURVEY_NAME_MAX + 40];

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", q->name);
	(void)snprintf(id, sizeof(id), "q-%s", q->name);
	cJSON_AddStringToObject(o, "id", id);
	(void)snprintf(id, sizeof(id), "q_%s", q->name);
	cJSON_AddStringToObject(o, "field", id);
	cJSON_AddStringToObject(o, "title", text_in(&q->title, l));
	if (*text_in(&q->description, l) != '\0')
		cJSON_AddStringToObject(o, "description",
		    text_in(&q->description, l));
	cJSON_AddBoolToObject(o, "required", q->required);
	cJSON_AddBoolToObject(o, type_flag(q->type), 1);
	/* Depends on an answer on this page: shown, with a hint. */
	cJSON_AddBoolToObject(o, "conditional", q->visible_if != NULL &&
	    !visible);
	if ((err = problem_for(pr, q->name)) != NULL)
		cJSON_AddStringToObject(o, "error", err);
	switch (q->type) {
	case SQ_MATRIX:
		cJSON_AddItemToObject(o, "rows", matrix_rows(q, a, l));
		cJSON_AddItemToObject(o, "columns", options(q, NULL, l));
		break;
	case SQ_TEXT:
	case SQ_COMMENT:
		cJSON_AddStringToObject(o, "value", cJSON_IsString(a) ?
		    a->valuestring : "");
		cJSON_AddNumberToObject(o, "max_length", q->max_length);
		break;
	case SQ_NUMBER:
		number_text(a, l, buf, sizeof(buf));
		cJSON_AddStringToObject(o, "value", buf);
		if (q->has_min)
			cJSON_AddNumberToObject(o, "min", q->min);
		if (q->has_max)
			cJSON_AddNumberToObject(o, "max", q->max);
		break;
	default:
		cJSON_AddItemToObject(o, "options", options(q, a, l));
		break;
	}
	return (o);
}

/* Does q's visibleIf read an answer given on page `page`? */
struct same_page {
	const struct survey_def	*def;
	int			page;
	int			found;
};

static int
reads_page(const char *name, void *arg)
{
	struct same_page	*sp = arg;
	int			i;

	if ((i = survey_find(sp->def, name)) >= 0 &&
	    sp->def->questions[i].page == sp->page)
		sp->found = 1;
	return (1);
}

/*
 * Is question i shown on its page?  Its visibleIf is evaluated on the
 * answers so far; one that reads an answer on the same page cannot be
 * decided without JavaScript, so it is shown with a hint and the final
 * check drops its answer if it does not apply.
 */
int
survey_form_shown(const struct survey_def *def, int i, const cJSON *answers,
    int *conditional)
{
	const struct survey_question	*q = &def->questions[i];
	struct same_page		sp;

	*conditional = 0;
	if (q->visible_if == NULL)
		return (1);
	sp.def = def;
	sp.page = q->page;
	sp.found = 0;
	(void)expr_names(q->visible_if, reads_page, &sp);
	if (sp.found) {
		*conditional = 1;
		return (1);
	}
	return (expr_eval(q->visible_if, answers));
}

/* The first page at or after `from` (step +1) or before (-1) with a question. */
int
survey_form_page(const struct survey_def *def, int from, int step,
    const cJSON *answers)
{
	const struct survey_page	*p;
	int				i, c;

	for (; from >= 0 && from < def->npages; from += step) {
		p = &def->pages[from];
		for (i = p->first; i < p->first + p->count; i++) {
			if (survey_form_shown(def, i, answers, &c))
				return (from);
		}
	}
	return (-1);
}

/*
 * The template data of one page: "questions" (this page's, shown),
 * "kept" (hidden fields for every other answer), progress and buttons.
 */
cJSON *
survey_form_data(const struct survey_def *def, int page, const cJSON *answers,
    const struct survey_problems *pr, enum lang l)
{
	const struct survey_question	*q;
	const cJSON			*a;
	cJSON				*data, *qs, *kept;
	int				i, cond, shown, last, first;

	data = cJSON_CreateObject();
	qs = cJSON_AddArrayToObject(data, "questions");
	kept = cJSON_AddArrayToObject(data, "kept");
	for (i = 0; i < def->nquestions; i++) {
		q = &def->questions[i];
		a = cJSON_GetObjectItemCaseSensitive(answers, q->name);
		if (q->page != page) {
			keep_hidden(q, a, kept);
			continue;
		}
		shown = survey_form_shown(def, i, answers, &cond);
		if (!shown) {
			keep_hidden(q, a, kept);
			continue;
		}
		cJSON_AddItemToArray(qs, question(q, a, pr, !cond, l));
	}
	first = survey_form_page(def, page - 1, -1, answers) < 0;
	last = survey_form_page(def, page + 1, 1, answers) < 0;
	cJSON_AddNumberToObject(data, "page", page);
	cJSON_AddNumberToObject(data, "page_number", page + 1);
	cJSON_AddNumberToObject(data, "pages", def->npages);
	cJSON_AddNumberToObject(data, "percent",
	    def->npages > 0 ? (100 * page) / def->npages : 0);
	cJSON_AddBoolToObject(data, "first", first);
	cJSON_AddBoolToObject(data, "last", last);
	if (*text_in(&def->pages[page].title, l) != '\0')
		cJSON_AddStringToObject(data, "page_title",
		    text_in(&def->pages[page].title, l));
	return (data);
}
