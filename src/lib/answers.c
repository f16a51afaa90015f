/*
 * Responses: SurveyJS result JSON ({"name": value}) checked against the
 * definition, and the server-rendered form turned into that JSON.
 *
 * Answer shapes: radiogroup, dropdown, rating: one choice value, of the
 * choice's JSON type (a number for 3, never "3": SurveyJS sends what the
 * definition says, and the stored JSON stays canonical); checkbox: an
 * array of distinct values; ranking: every choice value once, in rank
 * order; text and comment: a string; number: a JSON number; matrix: an
 * object row value -> column value.  An empty string, array or object is
 * no answer.
 *
 * Visibility: each visibleIf is evaluated in dependency order over the
 * clean answers so far, so an invisible question's answer never makes
 * another visible.  Answers to invisible questions are dropped without a
 * problem, as SurveyJS does with clearInvisibleValues "onComplete" (its
 * default): a respondent who changed an earlier answer is not refused.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

static void
pointer(char *out, size_t len, const char *name, const char *item)
{
	size_t	n;

	n = snprintf(out, len, "/%s", name);
	if (item == NULL || n >= len)
		return;
	out[n++] = '/';
	/* JSON Pointer escapes: ~ is ~0, / is ~1. */
	for (; *item != '\0' && n + 3 < len; item++) {
		if (*item == '~' || *item == '/') {
			out[n++] = '~';
			out[n++] = *item == '~' ? '0' : '1';
		} else
			out[n++] = *item;
	}
	out[n] = '\0';
}

static void
number_text(double d, char *buf, size_t len)
{
	if (d == 0)
		d = 0;
	(void)snprintf(buf, len, "%.15g", d);
}

/* The choice a JSON value is, of the right JSON type; NULL if none. */
static const struct survey_choice *
choice_of(const struct survey_choice *c, int n, const cJSON *v)
{
	char	num[40];
	int	i;

	if (cJSON_IsNumber(v)) {
		if (!isfinite(v->valuedouble))
			return (NULL);
		number_text(v->valuedouble, num, sizeof(num));
	}
	for (i = 0; i < n; i++) {
		if (c[i].numeric && cJSON_IsNumber(v) &&
		    strcmp(c[i].value, num) == 0)
			return (&c[i]);
		if (!c[i].numeric && cJSON_IsString(v) &&
		    strcmp(c[i].value, v->valuestring) == 0)
			return (&c[i]);
	}
	return (NULL);
}

static cJSON *
choice_json(const struct survey_choice *c)
{
	cJSON	*j;

	j = c->numeric ? cJSON_CreateNumber(strtod(c->value, NULL)) :
	    cJSON_CreateString(c->value);
	if (j == NULL)
		abort();
	return (j);
}

static int
unanswered(const cJSON *v)
{
	return (v == NULL || cJSON_IsNull(v) ||
	    (cJSON_IsString(v) && v->valuestring[0] == '\0') ||
	    ((cJSON_IsArray(v) || cJSON_IsObject(v)) && v->child == NULL));
}

static cJSON *
check_one(const struct survey_question *q, const cJSON *v, const char *path,
    struct survey_problems *pr)
{
	const struct survey_choice	*c;

	if ((c = choice_of(q->choices, q->nchoices, v)) == NULL) {
		survey_problem(pr, path, "must be one of the choices%s",
		    q->nchoices > 0 && q->choices[0].numeric ?
		    " (a number)" : "");
		return (NULL);
	}
	return (choice_json(c));
}

/* Checkbox: distinct choices.  Ranking: also every choice. */
static cJSON *
check_list(const struct survey_question *q, const cJSON *v, const char *path,
    struct survey_problems *pr)
{
	const struct survey_choice	*c;
	const cJSON			*e;
	cJSON				*out;
	char				 p[160], *used;
	int				 i, ok = 1;

	if (!cJSON_IsArray(v)) {
		survey_problem(pr, path, "must be an array of choices");
		return (NULL);
	}
	if ((out = cJSON_CreateArray()) == NULL ||
	    (used = calloc(q->nchoices + 1, 1)) == NULL)
		abort();
	for (i = 0, e = v->child; e != NULL; e = e->next, i++) {
		(void)snprintf(p, sizeof(p), "%s/%d", path, i);
		if (i >= q->nchoices) {
			survey_problem(pr, p, "more items than choices");
			ok = 0;
			break;
		}
		if ((c = choice_of(q->choices, q->nchoices, e)) == NULL) {
			survey_problem(pr, p, "must be one of the choices");
			ok = 0;
		} else if (used[c - q->choices]) {
			survey_problem(pr, p, "chosen twice");
			ok = 0;
		} else {
			used[c - q->choices] = 1;
			cJSON_AddItemToArray(out, choice_json(c));
		}
	}
	if (ok && q->type == SQ_RANKING && i != q->nchoices) {
		survey_problem(pr, path, "must rank all %d choices",
		    q->nchoices);
		ok = 0;
	}
	free(used);
	if (!ok) {
		cJSON_Delete(out);
		return (NULL);
	}
	return (out);
}

static cJSON *
check_matrix(const struct survey_question *q, const cJSON *v,
    const char *path, struct survey_problems *pr)
{
	const struct survey_choice	*c;
	const cJSON			*e;
	cJSON				*out;
	char				 p[160];
	int				 r, ok = 1;

	if (!cJSON_IsObject(v)) {
		survey_problem(pr, path, "must be an object of row: column");
		return (NULL);
	}
	if ((out = cJSON_CreateObject()) == NULL)
		abort();
	for (e = v->child; e != NULL; e = e->next) {
		pointer(p, sizeof(p), q->name, e->string);
		for (r = 0; r < q->nrows; r++)
			if (strcmp(q->rows[r].value, e->string) == 0)
				break;
		if (r == q->nrows) {
			survey_problem(pr, p, "unknown row");
			ok = 0;
		} else if ((c = choice_of(q->choices, q->nchoices, e)) ==
		    NULL) {
			survey_problem(pr, p, "must be one of the columns");
			ok = 0;
		} else
			cJSON_AddItemToObject(out, q->rows[r].value,
			    choice_json(c));
	}
	if (!ok) {
		cJSON_Delete(out);
		return (NULL);
	}
	return (out);
}

static cJSON *
check_text(const struct survey_question *q, const cJSON *v, const char *path,
    struct survey_problems *pr)
{
	const char	*s;
	size_t		 len;
	cJSON		*out;

	if (!cJSON_IsString(v)) {
		survey_problem(pr, path, "must be a string");
		return (NULL);
	}
	s = v->valuestring;
	len = strlen(s);
	/* Tab and line breaks only where a text area allows them. */
	if (!utf8_valid_text(s, len) ||
	    (q->type == SQ_TEXT && strpbrk(s, "\t\r\n") != NULL)) {
		survey_problem(pr, path, "must be text without control "
		    "characters");
		return (NULL);
	}
	if (utf8_length(s, len) > (size_t)q->max_length) {
		survey_problem(pr, path, "at most %d characters",
		    q->max_length);
		return (NULL);
	}
	if ((out = cJSON_CreateString(s)) == NULL)
		abort();
	return (out);
}

static cJSON *
check_number(const struct survey_question *q, const cJSON *v,
    const char *path, struct survey_problems *pr)
{
	cJSON	*out;
	char	 a[40], b[40];

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
		survey_problem(pr, path, "must be a number");
		return (NULL);
	}
	if ((q->has_min && v->valuedouble < q->min) ||
	    (q->has_max && v->valuedouble > q->max)) {
		number_text(q->min, a, sizeof(a));
		number_text(q->max, b, sizeof(b));
		if (q->has_min && q->has_max)
			survey_problem(pr, path, "must be from %s to %s", a, b);
		else if (q->has_min)
			survey_problem(pr, path, "must be at least %s", a);
		else
			survey_problem(pr, path, "must be at most %s", b);
		return (NULL);
	}
	if ((out = cJSON_CreateNumber(v->valuedouble)) == NULL)
		abort();
	return (out);
}

static cJSON *
check_answer(const struct survey_question *q, const cJSON *v,
    struct survey_problems *pr)
{
	char	path[80];

	pointer(path, sizeof(path), q->name, NULL);
	switch (q->type) {
	case SQ_RADIOGROUP:
	case SQ_DROPDOWN:
	case SQ_RATING:
		return (check_one(q, v, path, pr));
	case SQ_CHECKBOX:
	case SQ_RANKING:
		return (check_list(q, v, path, pr));
	case SQ_MATRIX:
		return (check_matrix(q, v, path, pr));
	case SQ_NUMBER:
		return (check_number(q, v, path, pr));
	default:
		return (check_text(q, v, path, pr));
	}
}

/* Dependency order: each question after those its visibleIf names. */
struct order {
	const struct survey_def	*def;
	int			*out;
	int			 n;
	char			*done;
};

static void visit(struct order *, int);

static int
visit_name(const char *name, void *arg)
{
	struct order	*o = arg;
	int		 i;

	if ((i = survey_find(o->def, name)) >= 0)
		visit(o, i);
	return (1);
}

static void
visit(struct order *o, int i)
{
	/* survey_parse refused cycles; "done" also guards against them. */
	if (o->done[i])
		return;
	o->done[i] = 1;
	(void)expr_names(o->def->questions[i].visible_if, visit_name, o);
	o->out[o->n++] = i;
}

cJSON *
answers_check(const struct survey_def *def, const cJSON *given,
    enum answers_mode mode, unsigned char *seen, struct survey_problems *pr)
{
	const struct survey_question	*q;
	struct order			 o;
	const cJSON			*e, *v;
	cJSON				*clean, *a;
	char				 path[80];
	int				 i, k;

	memset(pr, 0, sizeof(*pr));
	memset(seen, 0, def->nquestions);
	if (!cJSON_IsObject(given)) {
		survey_problem(pr, "", "must be an object of answers");
		return (NULL);
	}
	for (e = given->child; e != NULL; e = e->next) {
		k = survey_find(def, e->string);
		if (k < 0 || strcmp(def->questions[k].name, e->string) != 0) {
			pointer(path, sizeof(path), "", e->string);
			survey_problem(pr, path + 1, "unknown question");
		}
	}
	if ((clean = cJSON_CreateObject()) == NULL)
		abort();
	memset(&o, 0, sizeof(o));
	o.def = def;
	o.out = calloc(def->nquestions + 1, sizeof(int));
	o.done = calloc(def->nquestions + 1, 1);
	if (o.out == NULL || o.done == NULL)
		abort();
	for (i = 0; i < def->nquestions; i++)
		visit(&o, i);
	for (k = 0; k < o.n; k++) {
		i = o.out[k];
		q = &def->questions[i];
		if (q->visible_if != NULL && !expr_eval(q->visible_if, clean))
			continue;
		seen[i] = 1;
		v = cJSON_GetObjectItemCaseSensitive(given, q->name);
		if (unanswered(v)) {
			pointer(path, sizeof(path), q->name, NULL);
			if (mode == ANSWERS_FINAL && q->required)
				survey_problem(pr, path, "required");
			continue;
		}
		if ((a = check_answer(q, v, pr)) != NULL)
			cJSON_AddItemToObject(clean, q->name, a);
	}
	free(o.out);
	free(o.done);
	if (pr->count > 0 || pr->more > 0) {
		cJSON_Delete(clean);
		return (NULL);
	}
	return (clean);
}

/* ---- the server-rendered form ---- */

static const char *
field(const struct param_set *form, const char *name, int index)
{
	char	key[96];

	if (index < 0)
		(void)snprintf(key, sizeof(key), "q_%s", name);
	else
		(void)snprintf(key, sizeof(key), "q_%s.%d", name, index);
	return (params_get(form, key));
}

static const struct survey_choice *
choice_text(const struct survey_choice *c, int n, const char *s)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].value, s) == 0)
			return (&c[i]);
	return (NULL);
}

/* A number as people type it: "1,5" is 1.5. */
static int
form_number(const char *s, double *d)
{
	char	buf[64], *p, *end;

	if (strlen(s) >= sizeof(buf))
		return (0);
	(void)snprintf(buf, sizeof(buf), "%s", s);
	if ((p = strchr(buf, ',')) != NULL && strchr(p + 1, ',') == NULL &&
	    strchr(buf, '.') == NULL)
		*p = '.';
	for (p = buf; *p == ' '; p++)
		;
	if (*p == '\0' || strpbrk(p, "xXnNiI") != NULL)
		return (0);
	*d = strtod(p, &end);
	while (*end == ' ')
		end++;
	return (*end == '\0' && isfinite(*d));
}

static cJSON *
form_ranking(const struct survey_question *q, const struct param_set *form,
    const char *path, struct survey_problems *pr)
{
	cJSON		*out;
	const char	*s;
	char		*end;
	int		*at, i, given = 0, ok = 1;
	long		 r;

	if ((at = calloc(q->nchoices + 1, sizeof(int))) == NULL)
		abort();
	for (i = 0; i < q->nchoices; i++)
		at[i] = -1;
	for (i = 0; i < q->nchoices; i++) {
		if ((s = field(form, q->name, i)) == NULL || *s == '\0')
			continue;
		given++;
		r = strtol(s, &end, 10);
		if (*end != '\0' || r < 1 || r > q->nchoices ||
		    at[r - 1] >= 0)
			ok = 0;
		else
			at[r - 1] = i;
	}
	out = NULL;
	if (given > 0 && (!ok || given != q->nchoices))
		survey_problem(pr, path, "give each choice a rank from 1 to "
		    "%d, each rank once", q->nchoices);
	else if (given > 0) {
		if ((out = cJSON_CreateArray()) == NULL)
			abort();
		for (i = 0; i < q->nchoices; i++)
			cJSON_AddItemToArray(out,
			    choice_json(&q->choices[at[i]]));
	}
	free(at);
	return (out);
}

static cJSON *
form_answer(const struct survey_question *q, const struct param_set *form,
    struct survey_problems *pr)
{
	const struct survey_choice	*c;
	const char			*s;
	cJSON				*out = NULL;
	char				 path[80];
	double				 d;
	int				 i;

	pointer(path, sizeof(path), q->name, NULL);
	switch (q->type) {
	case SQ_RADIOGROUP:
	case SQ_DROPDOWN:
	case SQ_RATING:
		if ((s = field(form, q->name, -1)) == NULL || *s == '\0')
			return (NULL);
		if ((c = choice_text(q->choices, q->nchoices, s)) == NULL)
			survey_problem(pr, path, "must be one of the choices");
		else
			out = choice_json(c);
		return (out);
	case SQ_CHECKBOX:
		for (i = 0; i < q->nchoices; i++) {
			if ((s = field(form, q->name, i)) == NULL || *s == '\0')
				continue;
			if (strcmp(s, q->choices[i].value) != 0) {
				survey_problem(pr, path, "must be one of the "
				    "choices");
				cJSON_Delete(out);
				return (NULL);
			}
			if (out == NULL && (out = cJSON_CreateArray()) == NULL)
				abort();
			cJSON_AddItemToArray(out, choice_json(&q->choices[i]));
		}
		return (out);
	case SQ_RANKING:
		return (form_ranking(q, form, path, pr));
	case SQ_MATRIX:
		for (i = 0; i < q->nrows; i++) {
			if ((s = field(form, q->name, i)) == NULL || *s == '\0')
				continue;
			if ((c = choice_text(q->choices, q->nchoices, s)) ==
			    NULL) {
				pointer(path, sizeof(path), q->name,
				    q->rows[i].value);
				survey_problem(pr, path, "must be one of the "
				    "columns");
				continue;
			}
			if (out == NULL && (out = cJSON_CreateObject()) == NULL)
				abort();
			cJSON_AddItemToObject(out, q->rows[i].value,
			    choice_json(c));
		}
		return (out);
	case SQ_NUMBER:
		if ((s = field(form, q->name, -1)) == NULL || *s == '\0')
			return (NULL);
		if (!form_number(s, &d)) {
			survey_problem(pr, path, "must be a number");
			return (NULL);
		}
		return (cJSON_CreateNumber(d));
	default:
		if ((s = field(form, q->name, -1)) == NULL || *s == '\0')
			return (NULL);
		return (cJSON_CreateString(s));
	}
}

/*
 * One page of the HTML form into answers: that page's answers are removed
 * first (an unchecked box sends nothing), then set from the fields.
 * Field names: q_<name> for one value, text, number ("1,5" is 1.5) and
 * comment; q_<name>.<i> = choice i's value for a checked checkbox option;
 * q_<name>.<i> = the rank (1..n) of ranking choice i; q_<name>.<r> = the
 * column value for matrix row r.  answers_check validates the result.
 */
int
answers_from_form(const struct survey_def *def, int page,
    const struct param_set *form, cJSON *answers,
    struct survey_problems *pr)
{
	const struct survey_page	*pg;
	const struct survey_question	*q;
	cJSON				*v;
	int				 i;

	memset(pr, 0, sizeof(*pr));
	if (page < 0 || page >= def->npages || !cJSON_IsObject(answers)) {
		survey_problem(pr, "", "no such page");
		return (MW_ERROR);
	}
	pg = &def->pages[page];
	for (i = pg->first; i < pg->first + pg->count; i++) {
		q = &def->questions[i];
		cJSON_DeleteItemFromObjectCaseSensitive(answers, q->name);
		if ((v = form_answer(q, form, pr)) != NULL)
			cJSON_AddItemToObject(answers, q->name, v);
	}
	return (pr->count == 0 && pr->more == 0 ? MW_OK : MW_ERROR);
}
