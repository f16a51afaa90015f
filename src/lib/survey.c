/*
 * SurveyJS definitions, the documented subset (DESIGN.md "Surveys"),
 * checked strictly: an unknown type or property is refused rather than
 * ignored, since a property we ignore would change what the SurveyJS
 * front-end shows without the server validating it.  Each problem names
 * the place with a JSON Pointer into the definition.
 *
 * Question names match ^[A-Za-z][A-Za-z0-9_]{0,63}$: they become SPSS
 * and R variable names in exports.  They are unique without regard to
 * case, as SurveyJS expressions look names up without case.
 */

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mitwirken.h"

#define TEXT_MAX	2000	/* characters in a title or label */
#define VALUE_MAX	100	/* characters in a choice value */
#define RATING_MAX	100	/* values of a rating scale */
#define LENGTH_MAX	5000	/* the largest maxLength */

/* The state of one parse: problems, and each question's path. */
struct parse {
	struct survey_problems	*pr;
	struct survey_def	*def;
	char			(*paths)[96];
	int			cap;
};

static const char *const top_keys[] = {
	"title", "description", "pages", "locale", NULL
};
static const char *const page_keys[] = {
	"name", "title", "description", "elements", NULL
};
static const char *const common_keys[] = {
	"type", "name", "title", "description", "isRequired", "visibleIf",
	NULL
};
static const char *const choice_keys[] = { "choices", NULL };
static const char *const dropdown_keys[] = { "choices", "placeholder", NULL };
static const char *const rating_keys[] = {
	"rateMin", "rateMax", "rateStep", "rateValues", NULL
};
static const char *const text_keys[] = {
	"inputType", "min", "max", "maxLength", "placeholder", NULL
};
static const char *const comment_keys[] = { "maxLength", "placeholder", NULL };
static const char *const matrix_keys[] = { "rows", "columns", NULL };

static const struct {
	const char		*name;
	enum survey_qtype	 type;
	const char *const	*keys;
} types[] = {
	{ "radiogroup", SQ_RADIOGROUP, choice_keys },
	{ "dropdown", SQ_DROPDOWN, dropdown_keys },
	{ "checkbox", SQ_CHECKBOX, choice_keys },
	{ "rating", SQ_RATING, rating_keys },
	{ "text", SQ_TEXT, text_keys },
	{ "comment", SQ_COMMENT, comment_keys },
	{ "ranking", SQ_RANKING, choice_keys },
	{ "matrix", SQ_MATRIX, matrix_keys },
};

void
survey_problem(struct survey_problems *pr, const char *path,
    const char *fmt, ...)
{
	struct survey_problem	*p;
	va_list			 ap;

	if (pr->count >= SURVEY_PROBLEMS_MAX) {
		pr->more++;
		return;
	}
	p = &pr->items[pr->count++];
	(void)snprintf(p->path, sizeof(p->path), "%s", path);
	va_start(ap, fmt);
	(void)vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
}

/* Paths are short; one too long is cut, never overflows. */
static void __attribute__((format(printf, 3, 4)))
pathf(char *out, size_t len, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(out, len, fmt, ap);
	va_end(ap);
}

static char *
xstrdup(const char *s)
{
	char	*d;

	if ((d = strdup(s)) == NULL)
		abort();
	return (d);
}

static int
listed(const char *key, const char *const *keys)
{
	for (; keys != NULL && *keys != NULL; keys++)
		if (strcmp(key, *keys) == 0)
			return (1);
	return (0);
}

/* Every member must be in one of the lists. */
static void
only_keys(struct parse *ps, const cJSON *obj, const char *path,
    const char *const *a, const char *const *b)
{
	const cJSON	*c;
	char		 p[160];

	for (c = obj->child; c != NULL; c = c->next) {
		if (listed(c->string, a) || listed(c->string, b))
			continue;
		pathf(p, sizeof(p), "%s/%s", path, c->string);
		survey_problem(ps->pr, p, "unknown property");
	}
}

/* A SurveyJS name for a question or page, as a variable name. */
static int
name_ok(const char *s)
{
	size_t	i;

	if (!isalpha((unsigned char)s[0]) || s[0] & 0x80)
		return (0);
	for (i = 1; s[i] != '\0'; i++)
		if (i >= SURVEY_NAME_MAX || s[i] & 0x80 ||
		    !(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return (0);
	return (1);
}

static const char *
text_problem(const char *s, size_t max)
{
	size_t	len = strlen(s);

	if (!utf8_valid_text(s, len))
		return ("must be text without control characters");
	if (utf8_length(s, len) > max)
		return ("is too long");
	return (NULL);
}

/* A localizable string: "text" or {"default"|"de"|"en": "text"}. */
static int
loc_text(struct parse *ps, const cJSON *j, const char *path,
    struct survey_text *t, const char *fallback)
{
	const cJSON	*c, *de = NULL, *def = NULL, *en = NULL;
	const char	*why;
	char		 p[160];
	int		 ok = 1;

	t->de = t->en = NULL;
	if (j == NULL) {
		t->de = xstrdup(fallback);
		t->en = xstrdup(fallback);
		return (1);
	}
	if (cJSON_IsString(j)) {
		de = j;
	} else if (cJSON_IsObject(j) && j->child != NULL) {
		for (c = j->child; c != NULL; c = c->next) {
			pathf(p, sizeof(p), "%s/%s", path, c->string);
			if (strcmp(c->string, "default") == 0)
				def = c;
			else if (strcmp(c->string, "de") == 0)
				de = c;
			else if (strcmp(c->string, "en") == 0)
				en = c;
			else {
				survey_problem(ps->pr, p, "unknown language: "
				    "use \"default\", \"de\" or \"en\"");
				ok = 0;
				continue;
			}
			if (!cJSON_IsString(c)) {
				survey_problem(ps->pr, p, "must be a string");
				ok = 0;
			} else if ((why = text_problem(c->valuestring,
			    TEXT_MAX)) != NULL) {
				survey_problem(ps->pr, p, "%s", why);
				ok = 0;
			}
		}
		if (!ok)
			return (0);
		if (de == NULL)
			de = def != NULL ? def : en;
	} else {
		survey_problem(ps->pr, path, "must be a string or an object "
		    "of \"default\", \"de\" and \"en\" strings");
		return (0);
	}
	if (cJSON_IsString(j) &&
	    (why = text_problem(j->valuestring, TEXT_MAX)) != NULL) {
		survey_problem(ps->pr, path, "%s", why);
		return (0);
	}
	t->de = xstrdup(de->valuestring);
	t->en = xstrdup(en != NULL ? en->valuestring : de->valuestring);
	return (1);
}

static void
text_free(struct survey_text *t)
{
	free(t->de);
	free(t->en);
	t->de = t->en = NULL;
}

/* A localizable string the model does not keep, checked all the same. */
static void
loc_check(struct parse *ps, const cJSON *j, const char *path)
{
	struct survey_text	t;

	if (j != NULL && loc_text(ps, j, path, &t, ""))
		text_free(&t);
}

/* The canonical text of a numeric value: what tallies and forms use. */
static void
number_text(double d, char *buf, size_t len)
{
	if (d == 0)
		d = 0;
	(void)snprintf(buf, len, "%.15g", d);
}

/* One choice: a string, a number, or {"value": ..., "text": ...}. */
static int
choice(struct parse *ps, const cJSON *j, const char *path,
    struct survey_choice *c)
{
	const cJSON	*v = j, *t = NULL;
	const char	*why, *base = path;
	char		 p[160], num[40];

	memset(c, 0, sizeof(*c));
	if (cJSON_IsObject(j)) {
		only_keys(ps, j, path, (const char *const[]){ "value", "text",
		    NULL }, NULL);
		v = cJSON_GetObjectItemCaseSensitive(j, "value");
		t = cJSON_GetObjectItemCaseSensitive(j, "text");
		pathf(p, sizeof(p), "%s/value", path);
		if (v == NULL) {
			survey_problem(ps->pr, p, "required");
			return (0);
		}
		path = p;
	}
	if (cJSON_IsNumber(v)) {
		if (!isfinite(v->valuedouble)) {
			survey_problem(ps->pr, path, "must be a finite number");
			return (0);
		}
		number_text(v->valuedouble, num, sizeof(num));
		c->value = xstrdup(num);
		c->numeric = 1;
	} else if (cJSON_IsString(v)) {
		if (v->valuestring[0] == '\0') {
			survey_problem(ps->pr, path, "must not be empty");
			return (0);
		}
		if ((why = text_problem(v->valuestring, VALUE_MAX)) != NULL ||
		    strpbrk(v->valuestring, "\t\r\n") != NULL) {
			survey_problem(ps->pr, path, "%s", why ? why :
			    "must be a single line");
			return (0);
		}
		c->value = xstrdup(v->valuestring);
	} else {
		survey_problem(ps->pr, path, "must be a string, a number or "
		    "{\"value\", \"text\"}");
		return (0);
	}
	pathf(p, sizeof(p), "%s/text", base);
	if (!loc_text(ps, t, p, &c->text, c->value)) {
		free(c->value);
		c->value = NULL;
		return (0);
	}
	return (1);
}

static void
choices_free(struct survey_choice *c, int n)
{
	int	i;

	for (i = 0; c != NULL && i < n; i++) {
		free(c[i].value);
		text_free(&c[i].text);
	}
	free(c);
}

static int
choice_list(struct parse *ps, const cJSON *arr, const char *path,
    struct survey_choice **out, int *nout)
{
	struct survey_choice	*c;
	const cJSON		*j;
	char			 p[160];
	int			 n, i, k, ok = 1;

	*out = NULL;
	*nout = 0;
	if (arr == NULL) {
		survey_problem(ps->pr, path, "required");
		return (0);
	}
	if (!cJSON_IsArray(arr)) {
		survey_problem(ps->pr, path, "must be an array");
		return (0);
	}
	if ((n = cJSON_GetArraySize(arr)) == 0) {
		survey_problem(ps->pr, path, "must not be empty");
		return (0);
	}
	if (n > SURVEY_CHOICES_MAX) {
		survey_problem(ps->pr, path, "at most %d items",
		    SURVEY_CHOICES_MAX);
		return (0);
	}
	if ((c = calloc(n, sizeof(*c))) == NULL)
		abort();
	for (i = 0, j = arr->child; j != NULL; j = j->next, i++) {
		pathf(p, sizeof(p), "%s/%d", path, i);
		if (!choice(ps, j, p, &c[i])) {
			ok = 0;
			continue;
		}
		/* SurveyJS compares values without case: "Ja" is "ja". */
		for (k = 0; k < i; k++) {
			if (c[k].value != NULL &&
			    strcasecmp(c[k].value, c[i].value) == 0) {
				survey_problem(ps->pr, p, "duplicate value "
				    "\"%s\"", c[i].value);
				ok = 0;
				break;
			}
		}
	}
	*out = c;
	*nout = n;
	return (ok);
}

static int
get_number(struct parse *ps, const cJSON *o, const char *key,
    const char *path, double *d)
{
	const cJSON	*j;
	char		 p[160];

	if ((j = cJSON_GetObjectItemCaseSensitive(o, key)) == NULL)
		return (0);
	if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble)) {
		pathf(p, sizeof(p), "%s/%s", path, key);
		survey_problem(ps->pr, p, "must be a number");
		return (-1);
	}
	*d = j->valuedouble;
	return (1);
}

/* rateMin..rateMax by rateStep (1..5 by 1 when absent) as numeric choices. */
static void
rating(struct parse *ps, const cJSON *o, const char *path,
    struct survey_question *q)
{
	const cJSON	*rv;
	double		 lo = 1, hi = 5, step = 1, d, n;
	char		 p[160], num[40];
	int		 i, bad = 0;

	if ((rv = cJSON_GetObjectItemCaseSensitive(o, "rateValues")) != NULL) {
		pathf(p, sizeof(p), "%s/rateValues", path);
		if (cJSON_GetArraySize(rv) > RATING_MAX) {
			survey_problem(ps->pr, p, "at most %d values",
			    RATING_MAX);
			return;
		}
		(void)choice_list(ps, rv, p, &q->choices, &q->nchoices);
		return;
	}
	bad |= get_number(ps, o, "rateMin", path, &lo) < 0;
	bad |= get_number(ps, o, "rateMax", path, &hi) < 0;
	bad |= get_number(ps, o, "rateStep", path, &step) < 0;
	if (bad)
		return;
	pathf(p, sizeof(p), "%s/rateStep", path);
	if (step <= 0) {
		survey_problem(ps->pr, p, "must be greater than 0");
		return;
	}
	pathf(p, sizeof(p), "%s/rateMax", path);
	if (hi < lo) {
		survey_problem(ps->pr, p, "must not be less than rateMin");
		return;
	}
	n = floor((hi - lo) / step + 1e-9) + 1;
	if (n > RATING_MAX) {
		survey_problem(ps->pr, p, "the scale has more than %d values",
		    RATING_MAX);
		return;
	}
	q->nchoices = (int)n;
	if ((q->choices = calloc(q->nchoices, sizeof(*q->choices))) == NULL)
		abort();
	for (i = 0; i < q->nchoices; i++) {
		/* 0.1 + 0.2 is 0.30000000000000004; ten digits are plenty. */
		(void)snprintf(num, sizeof(num), "%.10g", lo + i * step);
		d = strtod(num, NULL);
		number_text(d, num, sizeof(num));
		q->choices[i].value = xstrdup(num);
		q->choices[i].numeric = 1;
		q->choices[i].text.de = xstrdup(num);
		q->choices[i].text.en = xstrdup(num);
	}
}

static void
text_options(struct parse *ps, const cJSON *o, const char *path,
    struct survey_question *q)
{
	const cJSON	*it, *ml;
	char		 p[160];
	int		 number;

	it = cJSON_GetObjectItemCaseSensitive(o, "inputType");
	number = cJSON_IsString(it) && strcmp(it->valuestring, "number") == 0;
	if (it != NULL && !number && !(cJSON_IsString(it) &&
	    strcmp(it->valuestring, "text") == 0)) {
		pathf(p, sizeof(p), "%s/inputType", path);
		survey_problem(ps->pr, p, "must be \"text\" or \"number\"");
	}
	if (q->type == SQ_TEXT && number)
		q->type = SQ_NUMBER;
	ml = cJSON_GetObjectItemCaseSensitive(o, "maxLength");
	q->max_length = q->type == SQ_COMMENT ? LENGTH_MAX : 500;
	pathf(p, sizeof(p), "%s/maxLength", path);
	if (ml != NULL && q->type == SQ_NUMBER)
		survey_problem(ps->pr, p, "only for text");
	else if (ml != NULL && (!cJSON_IsNumber(ml) ||
	    ml->valuedouble != floor(ml->valuedouble) ||
	    ml->valuedouble < 1 || ml->valuedouble > LENGTH_MAX))
		survey_problem(ps->pr, p, "must be a whole number from 1 to %d",
		    LENGTH_MAX);
	else if (ml != NULL)
		q->max_length = (int)ml->valuedouble;
	if (q->type == SQ_COMMENT)
		return;
	if (q->type != SQ_NUMBER) {
		for (it = o->child; it != NULL; it = it->next) {
			if (strcmp(it->string, "min") != 0 &&
			    strcmp(it->string, "max") != 0)
				continue;
			pathf(p, sizeof(p), "%s/%s", path, it->string);
			survey_problem(ps->pr, p, "only with \"inputType\": "
			    "\"number\"");
		}
		return;
	}
	q->has_min = get_number(ps, o, "min", path, &q->min) > 0;
	q->has_max = get_number(ps, o, "max", path, &q->max) > 0;
	if (q->has_min && q->has_max && q->min > q->max) {
		pathf(p, sizeof(p), "%s/max", path);
		survey_problem(ps->pr, p, "must not be less than min");
	}
}

static int
kind_of(const char *s, const char *const **keys)
{
	size_t	i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(s, types[i].name) == 0) {
			*keys = types[i].keys;
			return (types[i].type);
		}
	}
	return (0);
}

static void
question(struct parse *ps, const cJSON *o, const char *path, int page)
{
	struct survey_def	*def = ps->def;
	struct survey_question	*q;
	const cJSON		*t, *n, *r, *v;
	const char *const	*keys = NULL;
	char			 p[160];
	int			 i;

	if (!cJSON_IsObject(o)) {
		survey_problem(ps->pr, path, "must be an object");
		return;
	}
	t = cJSON_GetObjectItemCaseSensitive(o, "type");
	pathf(p, sizeof(p), "%s/type", path);
	if (!cJSON_IsString(t)) {
		survey_problem(ps->pr, p, "required: a question type");
		return;
	}
	if (!kind_of(t->valuestring, &keys)) {
		survey_problem(ps->pr, p, "unknown question type \"%.40s\"",
		    t->valuestring);
		return;
	}
	if (def->nquestions >= ps->cap) {
		survey_problem(ps->pr, path, "at most %d questions",
		    SURVEY_QUESTIONS_MAX);
		return;
	}
	q = &def->questions[def->nquestions];
	memset(q, 0, sizeof(*q));
	q->type = kind_of(t->valuestring, &keys);
	q->page = page;
	pathf(ps->paths[def->nquestions], sizeof(ps->paths[0]), "%s",
	    path);
	def->nquestions++;

	only_keys(ps, o, path, common_keys, keys);
	n = cJSON_GetObjectItemCaseSensitive(o, "name");
	pathf(p, sizeof(p), "%s/name", path);
	if (!cJSON_IsString(n) || !name_ok(n->valuestring)) {
		survey_problem(ps->pr, p, "required: a letter, then up to 63 "
		    "letters, digits or _");
	} else {
		(void)snprintf(q->name, sizeof(q->name), "%s", n->valuestring);
		for (i = 0; i < def->nquestions - 1; i++)
			if (strcasecmp(def->questions[i].name, q->name) == 0)
				survey_problem(ps->pr, p, "duplicate name "
				    "(names are compared without case)");
	}
	pathf(p, sizeof(p), "%s/title", path);
	(void)loc_text(ps, cJSON_GetObjectItemCaseSensitive(o, "title"), p,
	    &q->title, q->name);
	pathf(p, sizeof(p), "%s/description", path);
	(void)loc_text(ps, cJSON_GetObjectItemCaseSensitive(o, "description"),
	    p, &q->description, "");
	pathf(p, sizeof(p), "%s/placeholder", path);
	loc_check(ps, cJSON_GetObjectItemCaseSensitive(o, "placeholder"), p);
	r = cJSON_GetObjectItemCaseSensitive(o, "isRequired");
	pathf(p, sizeof(p), "%s/isRequired", path);
	if (r != NULL && !cJSON_IsBool(r))
		survey_problem(ps->pr, p, "must be true or false");
	q->required = cJSON_IsTrue(r);
	v = cJSON_GetObjectItemCaseSensitive(o, "visibleIf");
	pathf(p, sizeof(p), "%s/visibleIf", path);
	if (v != NULL && !cJSON_IsString(v))
		survey_problem(ps->pr, p, "must be a string");
	else if (v != NULL && strlen(v->valuestring) > TEXT_MAX)
		survey_problem(ps->pr, p, "is too long");
	else if (v != NULL)
		q->visible_src = xstrdup(v->valuestring);

	switch (q->type) {
	case SQ_RADIOGROUP:
	case SQ_DROPDOWN:
	case SQ_CHECKBOX:
	case SQ_RANKING:
		pathf(p, sizeof(p), "%s/choices", path);
		(void)choice_list(ps, cJSON_GetObjectItemCaseSensitive(o,
		    "choices"), p, &q->choices, &q->nchoices);
		break;
	case SQ_RATING:
		rating(ps, o, path, q);
		break;
	case SQ_MATRIX:
		pathf(p, sizeof(p), "%s/rows", path);
		(void)choice_list(ps, cJSON_GetObjectItemCaseSensitive(o,
		    "rows"), p, &q->rows, &q->nrows);
		pathf(p, sizeof(p), "%s/columns", path);
		(void)choice_list(ps, cJSON_GetObjectItemCaseSensitive(o,
		    "columns"), p, &q->choices, &q->nchoices);
		break;
	default:
		text_options(ps, o, path, q);
		break;
	}
}

static void
page(struct parse *ps, const cJSON *o, int index)
{
	struct survey_page	*pg = &ps->def->pages[index];
	const cJSON		*n, *els, *e;
	char			 path[64], p[160];
	int			 i;

	pathf(path, sizeof(path), "/pages/%d", index);
	(void)snprintf(pg->name, sizeof(pg->name), "page%d", index + 1);
	pg->first = ps->def->nquestions;
	if (!cJSON_IsObject(o)) {
		survey_problem(ps->pr, path, "must be an object");
		return;
	}
	only_keys(ps, o, path, page_keys, NULL);
	if ((n = cJSON_GetObjectItemCaseSensitive(o, "name")) != NULL) {
		pathf(p, sizeof(p), "%s/name", path);
		if (!cJSON_IsString(n) || !name_ok(n->valuestring))
			survey_problem(ps->pr, p, "a letter, then up to 63 "
			    "letters, digits or _");
		else
			(void)snprintf(pg->name, sizeof(pg->name), "%s",
			    n->valuestring);
	}
	pathf(p, sizeof(p), "%s/title", path);
	(void)loc_text(ps, cJSON_GetObjectItemCaseSensitive(o, "title"), p,
	    &pg->title, "");
	pathf(p, sizeof(p), "%s/description", path);
	loc_check(ps, cJSON_GetObjectItemCaseSensitive(o, "description"), p);
	els = cJSON_GetObjectItemCaseSensitive(o, "elements");
	pathf(p, sizeof(p), "%s/elements", path);
	if (!cJSON_IsArray(els) || els->child == NULL) {
		survey_problem(ps->pr, p, "required: an array of questions");
		return;
	}
	for (i = 0, e = els->child; e != NULL; e = e->next, i++) {
		pathf(p, sizeof(p), "%s/elements/%d", path, i);
		question(ps, e, p, index);
	}
	pg->count = ps->def->nquestions - pg->first;
}

/* visibleIf: it parses, names known questions, not itself, no cycles. */
struct refs {
	struct parse	*ps;
	int		 self;
	const char	*path;
	int		*deps;
	int		 ndeps;
	int		 ok;
};

static int
ref_name(const char *name, void *arg)
{
	struct refs	*r = arg;
	int		 i;

	if ((i = survey_find(r->ps->def, name)) < 0) {
		survey_problem(r->ps->pr, r->path, "unknown question {%.64s}",
		    name);
		r->ok = 0;
	} else if (i == r->self) {
		survey_problem(r->ps->pr, r->path, "refers to the question "
		    "itself");
		r->ok = 0;
	} else if (r->ndeps < SURVEY_QUESTIONS_MAX) {
		r->deps[r->ndeps++] = i;
	}
	return (1);
}

static int
cycle_from(struct parse *ps, int **deps, int *ndeps, char *color, int i)
{
	char	p[160];
	int	k, j;

	color[i] = 1;
	for (k = 0; k < ndeps[i]; k++) {
		j = deps[i][k];
		if (color[j] == 1 || (color[j] == 0 &&
		    cycle_from(ps, deps, ndeps, color, j))) {
			if (color[j] == 1) {
				pathf(p, sizeof(p), "%s/visibleIf",
				    ps->paths[i]);
				survey_problem(ps->pr, p, "visibleIf "
				    "conditions form a cycle through {%s}",
				    ps->def->questions[j].name);
			}
			color[i] = 2;
			return (1);
		}
	}
	color[i] = 2;
	return (0);
}

static void
conditions(struct parse *ps)
{
	struct survey_def	*def = ps->def;
	struct refs		 r;
	char			 p[160], err[128];
	char			*color;
	int			**deps, *ndeps, i, ok = 1;

	deps = calloc(def->nquestions + 1, sizeof(*deps));
	ndeps = calloc(def->nquestions + 1, sizeof(*ndeps));
	color = calloc(def->nquestions + 1, 1);
	if (deps == NULL || ndeps == NULL || color == NULL)
		abort();
	for (i = 0; i < def->nquestions; i++) {
		struct survey_question	*q = &def->questions[i];

		if (q->visible_src == NULL)
			continue;
		pathf(p, sizeof(p), "%s/visibleIf", ps->paths[i]);
		q->visible_if = expr_parse(q->visible_src, err, sizeof(err));
		if (q->visible_if == NULL) {
			survey_problem(ps->pr, p, "does not parse: %s", err);
			ok = 0;
			continue;
		}
		memset(&r, 0, sizeof(r));
		r.ps = ps;
		r.self = i;
		r.path = p;
		r.ok = 1;
		if ((r.deps = calloc(SURVEY_QUESTIONS_MAX, sizeof(int))) ==
		    NULL)
			abort();
		(void)expr_names(q->visible_if, ref_name, &r);
		deps[i] = r.deps;
		ndeps[i] = r.ndeps;
		ok &= r.ok;
	}
	for (i = 0; ok && i < def->nquestions; i++)
		if (color[i] == 0 && cycle_from(ps, deps, ndeps, color, i))
			break;
	for (i = 0; i < def->nquestions; i++)
		free(deps[i]);
	free(deps);
	free(ndeps);
	free(color);
}

static int
count_questions(const cJSON *pages)
{
	const cJSON	*pg;
	int		 n = 0;

	cJSON_ArrayForEach(pg, pages)
		n += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(pg,
		    "elements"));
	return (n);
}

static void
top(struct parse *ps, const cJSON *doc)
{
	struct survey_def	*def = ps->def;
	const cJSON		*pages, *pg, *loc;
	int			 i, n;

	only_keys(ps, doc, "", top_keys, NULL);
	(void)loc_text(ps, cJSON_GetObjectItemCaseSensitive(doc, "title"),
	    "/title", &def->title, "");
	(void)loc_text(ps, cJSON_GetObjectItemCaseSensitive(doc,
	    "description"), "/description", &def->description, "");
	loc = cJSON_GetObjectItemCaseSensitive(doc, "locale");
	if (loc != NULL && !(cJSON_IsString(loc) &&
	    (strcmp(loc->valuestring, "de") == 0 ||
	    strcmp(loc->valuestring, "en") == 0)))
		survey_problem(ps->pr, "/locale", "must be \"de\" or \"en\"");
	pages = cJSON_GetObjectItemCaseSensitive(doc, "pages");
	if (!cJSON_IsArray(pages) || pages->child == NULL) {
		survey_problem(ps->pr, "/pages", "required: an array of pages");
		return;
	}
	if ((n = cJSON_GetArraySize(pages)) > SURVEY_PAGES_MAX) {
		survey_problem(ps->pr, "/pages", "at most %d pages",
		    SURVEY_PAGES_MAX);
		return;
	}
	ps->cap = count_questions(pages);
	if (ps->cap > SURVEY_QUESTIONS_MAX) {
		survey_problem(ps->pr, "/pages", "at most %d questions",
		    SURVEY_QUESTIONS_MAX);
		return;
	}
	def->questions = calloc(ps->cap + 1, sizeof(*def->questions));
	ps->paths = calloc(ps->cap + 1, sizeof(*ps->paths));
	def->pages = calloc(n, sizeof(*def->pages));
	if (def->questions == NULL || ps->paths == NULL || def->pages == NULL)
		abort();
	def->npages = n;
	for (i = 0, pg = pages->child; pg != NULL; pg = pg->next, i++)
		page(ps, pg, i);
	for (i = 0; i < n; i++) {
		if (def->pages[i].title.de == NULL) {
			def->pages[i].title.de = xstrdup("");
			def->pages[i].title.en = xstrdup("");
		}
	}
	if (ps->pr->count == 0)
		conditions(ps);
}

/*
 * A definition, or NULL with problems.  The problem list starts empty
 * here (as in answers_check and survey_compatible).
 */
struct survey_def *
survey_parse(const cJSON *doc, struct survey_problems *pr)
{
	struct parse	 ps;

	memset(pr, 0, sizeof(*pr));
	memset(&ps, 0, sizeof(ps));
	ps.pr = pr;
	if ((ps.def = calloc(1, sizeof(*ps.def))) == NULL)
		abort();
	if (!cJSON_IsObject(doc))
		survey_problem(pr, "", "must be an object");
	else
		top(&ps, doc);
	free(ps.paths);
	if (pr->count > 0 || pr->more > 0) {
		survey_free(ps.def);
		return (NULL);
	}
	return (ps.def);
}

void
survey_free(struct survey_def *def)
{
	struct survey_question	*q;
	int			 i;

	if (def == NULL)
		return;
	text_free(&def->title);
	text_free(&def->description);
	for (i = 0; i < def->npages; i++)
		text_free(&def->pages[i].title);
	free(def->pages);
	for (i = 0; i < def->nquestions; i++) {
		q = &def->questions[i];
		text_free(&q->title);
		text_free(&q->description);
		free(q->visible_src);
		expr_free(q->visible_if);
		choices_free(q->choices, q->nchoices);
		choices_free(q->rows, q->nrows);
	}
	free(def->questions);
	free(def);
}

/* The question's index, the name compared without case; -1 if none. */
int
survey_find(const struct survey_def *def, const char *name)
{
	int	i;

	for (i = 0; i < def->nquestions; i++)
		if (strcasecmp(def->questions[i].name, name) == 0)
			return (i);
	return (-1);
}

static const struct survey_choice *
find_choice(const struct survey_choice *c, int n, const char *value)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].value, value) == 0)
			return (&c[i]);
	return (NULL);
}

static void
keep_choices(const struct survey_choice *old, int nold,
    const struct survey_choice *new, int nnew, const char *path,
    struct survey_problems *pr)
{
	const struct survey_choice	*c;
	int				 i;

	for (i = 0; i < nold; i++) {
		if ((c = find_choice(new, nnew, old[i].value)) == NULL)
			survey_problem(pr, path, "value \"%s\" was removed; "
			    "responses may hold it", old[i].value);
		else if (c->numeric != old[i].numeric)
			survey_problem(pr, path, "value \"%s\" changed between "
			    "number and text", old[i].value);
	}
}

/*
 * Once responses exist: every old question keeps its name (exactly) and
 * type, every old choice, rating value, matrix row and column stays.
 * Wording, order, new questions and new choices are fine.  Paths point
 * into the new definition, or the old one for a removed question.
 */
int
survey_compatible(const struct survey_def *old, const struct survey_def *new,
    struct survey_problems *pr)
{
	const struct survey_question	*o, *n;
	char				 path[96], p[160];
	int				 i, k;

	memset(pr, 0, sizeof(*pr));
	for (i = 0; i < old->nquestions; i++) {
		o = &old->questions[i];
		k = survey_find(new, o->name);
		if (k < 0 || strcmp(new->questions[k].name, o->name) != 0) {
			pathf(path, sizeof(path),
			    "/pages/%d/elements/%d", o->page,
			    i - old->pages[o->page].first);
			survey_problem(pr, path, "question \"%s\" was removed "
			    "or renamed; responses exist", o->name);
			continue;
		}
		n = &new->questions[k];
		pathf(path, sizeof(path), "/pages/%d/elements/%d",
		    n->page, k - new->pages[n->page].first);
		if (n->type != o->type) {
			pathf(p, sizeof(p), "%s/type", path);
			survey_problem(pr, p, "the type of \"%s\" changed; "
			    "responses exist", o->name);
			continue;
		}
		pathf(p, sizeof(p), "%s/%s", path,
		    o->type == SQ_MATRIX ? "columns" : o->type == SQ_RATING ?
		    "rateValues" : "choices");
		keep_choices(o->choices, o->nchoices, n->choices, n->nchoices,
		    p, pr);
		pathf(p, sizeof(p), "%s/rows", path);
		keep_choices(o->rows, o->nrows, n->rows, n->nrows, p, pr);
	}
	return (pr->count == 0 && pr->more == 0);
}

/* HMAC-SHA-256 under keys.survey of "<survey_id>:<kind>:<subject>". */
void
survey_respondent(const struct keys *keys, int64_t survey_id, char kind,
    const char *subject, unsigned char *out)
{
	crypto_auth_hmacsha256_state	st;
	char				head[48];
	int				n;

	n = snprintf(head, sizeof(head), "%" PRId64 ":%c:", survey_id, kind);
	crypto_auth_hmacsha256_init(&st, keys->survey, sizeof(keys->survey));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)head, n);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)subject,
	    strlen(subject));
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}
