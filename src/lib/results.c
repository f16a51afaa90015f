/*
 * Survey results at any number of responses.  A response adds 1 to a few
 * tally keys (results_tallies, run in the response's transaction); the
 * results are built from the summed tallies alone (results_build), so
 * they cost the same at a million responses as at a thousand.  Medians
 * come from per-value counts: bounded for ratings, one row per distinct
 * value for numbers.
 *
 * Published results (k > 0) hide every count c with 0 < c < k and apply
 * secondary suppression to each group whose total is published, so no
 * hidden count follows from the totals (see protect()).
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

/* ---- Tallies: the keys one response adds to. ---- */

static void
json_string(struct strbuf *out, const char *s)
{
	const unsigned char	*p;

	strbuf_append(out, "\"", 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			strbuf_append(out, "\\", 1);
			strbuf_append(out, p, 1);
		} else if (*p < 0x20) {
			strbuf_appendf(out, "\\u%04x", *p);
		} else {
			strbuf_append(out, p, 1);
		}
	}
	strbuf_append(out, "\"", 1);
}

static void
key(struct strbuf *out, int *first, const char *kind, const char *q,
    const char *item, const char *value)
{
	strbuf_appends(out, *first ? "[" : ",[");
	*first = 0;
	json_string(out, kind);
	strbuf_append(out, ",", 1);
	json_string(out, q);
	strbuf_append(out, ",", 1);
	json_string(out, item);
	strbuf_append(out, ",", 1);
	json_string(out, value);
	strbuf_append(out, "]", 1);
}

/* -0 and 0 are one value; the text is what the tally key holds. */
static void
number_text(double d, char *buf, size_t len)
{
	if (d == 0)
		d = 0;
	snprintf(buf, len, "%.15g", d);
}

/* The choice an answer names: by its canonical text, or a number's value. */
static int
choice_of(const struct survey_choice *c, int n, const cJSON *v)
{
	char		num[32];
	const char	*s;
	int		i;

	if (cJSON_IsString(v)) {
		s = v->valuestring;
	} else if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
		number_text(v->valuedouble, num, sizeof(num));
		s = num;
	} else {
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (strcmp(c[i].value, s) == 0)
			return (i);
	}
	if (!cJSON_IsNumber(v))
		return (-1);
	for (i = 0; i < n; i++) {
		if (c[i].numeric && strtod(c[i].value, NULL) == v->valuedouble)
			return (i);
	}
	return (-1);
}

static int
is_choice_type(enum survey_qtype t)
{
	return (t == SQ_RADIOGROUP || t == SQ_DROPDOWN || t == SQ_CHECKBOX ||
	    t == SQ_RATING);
}

/*
 * The chosen options of a choice question, each once, in definition
 * order (marks[i] = 1); returns how many.
 */
static int
chosen(const struct survey_question *q, const cJSON *a, char *marks)
{
	const cJSON	*e;
	int		i, n;

	memset(marks, 0, q->nchoices);
	if (q->type == SQ_CHECKBOX) {
		if (!cJSON_IsArray(a))
			return (0);
		cJSON_ArrayForEach(e, a) {
			if ((i = choice_of(q->choices, q->nchoices, e)) >= 0)
				marks[i] = 1;
		}
	} else if ((i = choice_of(q->choices, q->nchoices, a)) >= 0) {
		marks[i] = 1;
	}
	for (n = i = 0; i < q->nchoices; i++)
		n += marks[i];
	return (n);
}

/* Writes the "v" keys of one answer; returns 1 if it counts as answered. */
static int
values(const struct survey_question *q, const cJSON *a, char *marks,
    struct strbuf *v, int *first)
{
	const cJSON	*e;
	char		num[32];
	int		i, r, n;

	switch (q->type) {
	case SQ_RADIOGROUP:
	case SQ_DROPDOWN:
	case SQ_CHECKBOX:
	case SQ_RATING:
		if ((n = chosen(q, a, marks)) == 0)
			return (0);
		for (i = 0; i < q->nchoices; i++) {
			if (marks[i])
				key(v, first, "v", q->name, "",
				    q->choices[i].value);
		}
		return (1);
	case SQ_NUMBER:
		if (!cJSON_IsNumber(a) || !isfinite(a->valuedouble))
			return (0);
		number_text(a->valuedouble, num, sizeof(num));
		key(v, first, "v", q->name, "", num);
		return (1);
	case SQ_RANKING:
		if (!cJSON_IsArray(a))
			return (0);
		memset(marks, 0, q->nchoices);
		n = r = 0;
		cJSON_ArrayForEach(e, a) {
			r++;
			i = choice_of(q->choices, q->nchoices, e);
			if (i < 0 || marks[i])
				continue;
			marks[i] = 1;
			snprintf(num, sizeof(num), "%d", r);
			key(v, first, "v", q->name, q->choices[i].value, num);
			n++;
		}
		return (n > 0);
	case SQ_MATRIX:
		if (!cJSON_IsObject(a))
			return (0);
		for (n = r = 0; r < q->nrows; r++) {
			e = cJSON_GetObjectItemCaseSensitive(a,
			    q->rows[r].value);
			if (e == NULL ||
			    (i = choice_of(q->choices, q->nchoices, e)) < 0)
				continue;
			key(v, first, "v", q->name, q->rows[r].value,
			    q->choices[i].value);
			n++;
		}
		return (n > 0);
	case SQ_TEXT:
	case SQ_COMMENT:
		return (cJSON_IsString(a) && a->valuestring[0] != '\0');
	}
	return (0);
}

static int
find_question(const struct survey_def *def, const char *name)
{
	int	i;

	if (name == NULL)
		return (-1);
	for (i = 0; i < def->nquestions; i++) {
		if (strcmp(def->questions[i].name, name) == 0)
			return (i);
	}
	return (-1);
}

/* Both crosstab questions answered: one "x" key per pair of options. */
static void
cross_keys(const struct survey_def *def, const cJSON *clean,
    const unsigned char *seen, const char *xa, const char *xb,
    struct strbuf *out, int *first)
{
	const struct survey_question	*qa, *qb;
	char				*ma, *mb;
	int				a, b, i, j;

	a = find_question(def, xa);
	b = find_question(def, xb);
	if (a < 0 || b < 0 || !seen[a] || !seen[b])
		return;
	qa = &def->questions[a];
	qb = &def->questions[b];
	if (!is_choice_type(qa->type) || !is_choice_type(qb->type))
		return;
	ma = calloc(1, qa->nchoices + 1);
	mb = calloc(1, qb->nchoices + 1);
	if (ma == NULL || mb == NULL)
		abort();
	if (chosen(qa, cJSON_GetObjectItemCaseSensitive(clean, qa->name),
	    ma) && chosen(qb, cJSON_GetObjectItemCaseSensitive(clean,
	    qb->name), mb)) {
		for (i = 0; i < qa->nchoices; i++) {
			for (j = 0; ma[i] && j < qb->nchoices; j++) {
				if (mb[j])
					key(out, first, "x", "",
					    qa->choices[i].value,
					    qb->choices[j].value);
			}
		}
	}
	free(ma);
	free(mb);
}

void
results_tallies(const struct survey_def *def, const cJSON *clean,
    const unsigned char *seen, const char *xa, const char *xb,
    struct strbuf *out)
{
	const struct survey_question	*q;
	const cJSON			*a;
	char				*marks;
	struct strbuf			v;
	int				i, first, vfirst;

	marks = malloc(SURVEY_CHOICES_MAX + 1);
	if (marks == NULL)
		abort();
	strbuf_init(&v, 256);
	first = 1;
	strbuf_append(out, "[", 1);
	key(out, &first, "n", "", "", "");
	for (i = 0; i < def->nquestions; i++) {
		q = &def->questions[i];
		if (!seen[i])
			continue;
		key(out, &first, "s", q->name, "", "");
		a = cJSON_GetObjectItemCaseSensitive(clean, q->name);
		if (a == NULL || cJSON_IsNull(a) || q->nchoices >
		    SURVEY_CHOICES_MAX)
			continue;
		strbuf_reset(&v);
		vfirst = 0;
		if (!values(q, a, marks, &v, &vfirst))
			continue;
		key(out, &first, "a", q->name, "", "");
		strbuf_append(out, v.data, v.len);
	}
	cross_keys(def, clean, seen, xa, xb, out, &first);
	strbuf_append(out, "]", 1);
	strbuf_free(&v);
	free(marks);
}

/* ---- Results: the document built from summed tallies. ---- */

struct slot {
	const char	*key;
	int		idx;
};

struct numval {
	double		v;
	long long	n;
};

struct day {
	const char	*date;
	long long	n;
};

/* What the tallies say about one question. */
struct qacc {
	long long	seen;
	long long	answered;
	/* choice: [choice]; matrix: [row][column]; ranking: [choice][rank] */
	long long	*cnt;
	struct slot	*cidx;	/* choices sorted by value */
	struct slot	*ridx;	/* matrix rows sorted by value */
	struct numval	*vals;	/* number: one per distinct value */
	int		nvals;
	int		capvals;
};

struct build {
	const struct survey_def		*def;
	const struct results_opts	*o;
	int				k;
	int				hidden;	/* anything hidden */
	long long			respondents;
	struct slot			*qidx;
	struct qacc			*acc;
	int				xa, xb;
	long long			*x;	/* [a choice][b choice] */
	struct day			*days;
	int				ndays;
	int				capdays;
};

static const char *const type_names[] = {
	[SQ_RADIOGROUP] = "radiogroup", [SQ_DROPDOWN] = "dropdown",
	[SQ_CHECKBOX] = "checkbox", [SQ_RATING] = "rating",
	[SQ_TEXT] = "text", [SQ_NUMBER] = "number", [SQ_COMMENT] = "comment",
	[SQ_RANKING] = "ranking", [SQ_MATRIX] = "matrix"
};

static void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n ? n : 1, size)) == NULL)
		abort();
	return (p);
}

static int
slot_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct slot *)a)->key,
	    ((const struct slot *)b)->key));
}

static struct slot *
index_choices(const struct survey_choice *c, int n)
{
	struct slot	*s;
	int		i;

	s = xcalloc(n, sizeof(*s));
	for (i = 0; i < n; i++) {
		s[i].key = c[i].value;
		s[i].idx = i;
	}
	qsort(s, n, sizeof(*s), slot_cmp);
	return (s);
}

static int
lookup(const struct slot *s, int n, const char *key)
{
	struct slot	k, *hit;

	if (n == 0 || key == NULL)
		return (-1);
	k.key = key;
	hit = bsearch(&k, s, n, sizeof(*s), slot_cmp);
	return (hit ? hit->idx : -1);
}

static const char *
nz(const char *s)
{
	return (s ? s : "");
}

/* A whole string that is a finite number. */
static int
parse_number(const char *s, double *d)
{
	char	*end;

	if (*s == '\0')
		return (0);
	*d = strtod(s, &end);
	return (*end == '\0' && isfinite(*d));
}

static void
build_init(struct build *b, const struct survey_def *def,
    const struct results_opts *o)
{
	const struct survey_question	*q;
	size_t				cells;
	int				i;

	memset(b, 0, sizeof(*b));
	b->def = def;
	b->o = o;
	b->k = o->k > 0 ? o->k : 0;
	b->acc = xcalloc(def->nquestions, sizeof(*b->acc));
	b->qidx = xcalloc(def->nquestions, sizeof(*b->qidx));
	for (i = 0; i < def->nquestions; i++) {
		q = &def->questions[i];
		b->qidx[i].key = q->name;
		b->qidx[i].idx = i;
		b->acc[i].cidx = index_choices(q->choices, q->nchoices);
		b->acc[i].ridx = index_choices(q->rows, q->nrows);
		if (q->type == SQ_MATRIX)
			cells = (size_t)q->nrows * q->nchoices;
		else if (q->type == SQ_RANKING)
			cells = (size_t)q->nchoices * q->nchoices;
		else
			cells = q->nchoices;
		b->acc[i].cnt = xcalloc(cells, sizeof(long long));
	}
	qsort(b->qidx, def->nquestions, sizeof(*b->qidx), slot_cmp);
	b->xa = lookup(b->qidx, def->nquestions, o->crosstab_a);
	b->xb = lookup(b->qidx, def->nquestions, o->crosstab_b);
	if (b->xa < 0 || b->xb < 0 ||
	    !is_choice_type(def->questions[b->xa].type) ||
	    !is_choice_type(def->questions[b->xb].type)) {
		b->xa = b->xb = -1;
		return;
	}
	b->x = xcalloc((size_t)def->questions[b->xa].nchoices *
	    def->questions[b->xb].nchoices, sizeof(long long));
}

static void
build_free(struct build *b)
{
	int	i;

	for (i = 0; i < b->def->nquestions; i++) {
		free(b->acc[i].cnt);
		free(b->acc[i].cidx);
		free(b->acc[i].ridx);
		free(b->acc[i].vals);
	}
	free(b->acc);
	free(b->qidx);
	free(b->x);
	free(b->days);
}

static void
add_number(struct qacc *a, const char *text, long long n)
{
	double	d;

	if (!parse_number(text, &d))
		return;
	if (a->nvals == a->capvals) {
		a->capvals = a->capvals ? a->capvals * 2 : 16;
		a->vals = realloc(a->vals, a->capvals * sizeof(*a->vals));
		if (a->vals == NULL)
			abort();
	}
	a->vals[a->nvals].v = d == 0 ? 0 : d;
	a->vals[a->nvals].n = n;
	a->nvals++;
}

static void
add_value(struct build *b, int qi, const struct tally *t)
{
	const struct survey_question	*q = &b->def->questions[qi];
	struct qacc			*a = &b->acc[qi];
	const char			*item = nz(t->item);
	const char			*value = nz(t->value);
	char				*end;
	long				rank;
	int				c, r;

	switch (q->type) {
	case SQ_RADIOGROUP:
	case SQ_DROPDOWN:
	case SQ_CHECKBOX:
	case SQ_RATING:
		if ((c = lookup(a->cidx, q->nchoices, value)) >= 0)
			a->cnt[c] += t->n;
		break;
	case SQ_NUMBER:
		add_number(a, value, t->n);
		break;
	case SQ_RANKING:
		c = lookup(a->cidx, q->nchoices, item);
		rank = strtol(value, &end, 10);
		if (c >= 0 && *value != '\0' && *end == '\0' && rank >= 1 &&
		    rank <= q->nchoices)
			a->cnt[c * q->nchoices + rank - 1] += t->n;
		break;
	case SQ_MATRIX:
		r = lookup(a->ridx, q->nrows, item);
		c = lookup(a->cidx, q->nchoices, value);
		if (r >= 0 && c >= 0)
			a->cnt[r * q->nchoices + c] += t->n;
		break;
	case SQ_TEXT:
	case SQ_COMMENT:
		break;
	}
}

static void
add_cross(struct build *b, const struct tally *t)
{
	int	i, j, nb;

	if (b->xa < 0)
		return;
	nb = b->def->questions[b->xb].nchoices;
	i = lookup(b->acc[b->xa].cidx, b->def->questions[b->xa].nchoices,
	    nz(t->item));
	j = lookup(b->acc[b->xb].cidx, nb, nz(t->value));
	if (i >= 0 && j >= 0)
		b->x[i * nb + j] += t->n;
}

static void
add_day(struct build *b, const struct tally *t)
{
	if (b->ndays == b->capdays) {
		b->capdays = b->capdays ? b->capdays * 2 : 32;
		b->days = realloc(b->days, b->capdays * sizeof(*b->days));
		if (b->days == NULL)
			abort();
	}
	b->days[b->ndays].date = nz(t->value);
	b->days[b->ndays].n = t->n;
	b->ndays++;
}

static void
add_row(struct build *b, const struct tally *t)
{
	int	qi;

	switch (t->kind) {
	case 'n':
		b->respondents += t->n;
		return;
	case 'd':
		add_day(b, t);
		return;
	case 'x':
		add_cross(b, t);
		return;
	case 's':
	case 'a':
	case 'v':
		break;
	default:
		return;
	}
	qi = lookup(b->qidx, b->def->nquestions, nz(t->question));
	if (qi < 0)
		return;
	if (t->kind == 's')
		b->acc[qi].seen += t->n;
	else if (t->kind == 'a')
		b->acc[qi].answered += t->n;
	else
		add_value(b, qi, t);
}

/* ---- Suppression. ---- */

static int
primary(const struct build *b, long long c)
{
	return (b->k > 0 && c > 0 && c < b->k);
}

/*
 * One group of cells (every stride-th) that add up to a published total.
 * A single unknown in the group can be solved for; several hidden cells
 * whose known sum is below k still say too much about each of them.  So
 * while the group has exactly one unknown (a cell or the total), or its
 * hidden cells sum to less than k under a published total, hide the
 * smallest visible non-zero cell, else the total.  Returns 1 if it hid
 * anything.
 */
static int
protect(const long long *cell, char *hid, int n, int stride,
    char *total_hidden, int k)
{
	long long	sum;
	int		i, unknown, best, changed;

	changed = 0;
	for (;;) {
		unknown = *total_hidden ? 1 : 0;
		sum = 0;
		best = -1;
		for (i = 0; i < n; i++) {
			if (hid[i * stride]) {
				unknown++;
				sum += cell[i * stride];
			} else if (cell[i * stride] > 0 && (best < 0 ||
			    cell[i * stride] < cell[best * stride])) {
				best = i;
			}
		}
		if (unknown == 0)
			break;
		if (unknown >= 2 && (*total_hidden || sum >= k))
			break;
		if (best >= 0)
			hid[best * stride] = 1;
		else if (!*total_hidden)
			*total_hidden = 1;
		else
			break;
		changed = 1;
	}
	return (changed);
}

static char *
primaries(const struct build *b, const long long *c, int n)
{
	char	*hid;
	int	i;

	hid = xcalloc(n, 1);
	for (i = 0; i < n; i++)
		hid[i] = primary(b, c[i]);
	return (hid);
}

/* ---- Statistics from per-value counts. ---- */

struct stats {
	long long	n;
	long double	mean;
	long double	median;
	long double	sd;		/* sample (n - 1) */
	double		min;
	double		max;
};

static int
numval_cmp(const void *a, const void *b)
{
	double	x = ((const struct numval *)a)->v;
	double	y = ((const struct numval *)b)->v;

	return (x < y ? -1 : x > y);
}

/* Sorted, one entry per value, none with a count below 1. */
static int
numvals_merge(struct numval *v, int n)
{
	int	i, m;

	if (n == 0)
		return (0);
	qsort(v, n, sizeof(*v), numval_cmp);
	for (m = i = 0; i < n; i++) {
		if (m > 0 && v[m - 1].v == v[i].v)
			v[m - 1].n += v[i].n;
		else
			v[m++] = v[i];
	}
	for (n = m, m = i = 0; i < n; i++) {
		if (v[i].n > 0)
			v[m++] = v[i];
	}
	return (m);
}

/* The value at 0-based position pos of the sorted sample. */
static double
nth(const struct numval *v, int n, long long pos)
{
	int	i;

	for (i = 0; i < n - 1 && pos >= v[i].n; i++)
		pos -= v[i].n;
	return (v[i].v);
}

/*
 * Kahan-compensated sums in long double: a million values of 0.1 must
 * give a mean of 0.1 and a deviation of 0, not rounding noise.
 */
static void
stats_of(const struct numval *v, int nv, struct stats *s)
{
	long double	sum, comp, y, t;
	int		i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < nv; i++)
		s->n += v[i].n;
	if (s->n == 0)
		return;
	sum = comp = 0;
	for (i = 0; i < nv; i++) {
		y = (long double)v[i].n * v[i].v - comp;
		t = sum + y;
		comp = (t - sum) - y;
		sum = t;
	}
	s->mean = sum / s->n;
	sum = comp = 0;
	for (i = 0; i < nv; i++) {
		y = (long double)v[i].n * (v[i].v - s->mean) *
		    (v[i].v - s->mean) - comp;
		t = sum + y;
		comp = (t - sum) - y;
		sum = t;
	}
	if (s->n > 1)
		s->sd = sqrtl(sum / (s->n - 1));
	/* As R's median: the mean of the two middle values for even n. */
	s->median = ((long double)nth(v, nv, (s->n - 1) / 2) +
	    nth(v, nv, s->n / 2)) / 2;
	s->min = v[0].v;
	s->max = v[nv - 1].v;
}

/* ---- The document. ---- */

static const char *
text_in(const struct survey_text *t, enum lang lang, const char *fallback)
{
	const char	*s;

	s = lang == LANG_EN ? t->en : t->de;
	if ((s == NULL || *s == '\0') && lang == LANG_EN)
		s = t->de;
	return (s != NULL && *s != '\0' ? s : fallback);
}

static cJSON *
count_item(struct build *b, long long c, int hidden)
{
	if (!hidden)
		return (cJSON_CreateNumber((double)c));
	b->hidden = 1;
	return (cJSON_CreateNull());
}

static void
put_count(struct build *b, cJSON *o, const char *name, long long c,
    int hidden)
{
	cJSON_AddItemToObject(o, name, count_item(b, c, hidden));
}

static void
put_share(cJSON *o, long long c, int hidden, long long den, int den_hidden)
{
	if (hidden || den_hidden || den <= 0)
		cJSON_AddNullToObject(o, "share");
	else
		cJSON_AddNumberToObject(o, "share", (double)c / den);
}

static void
put_number(cJSON *o, const char *name, long double v, int ok)
{
	if (ok)
		cJSON_AddNumberToObject(o, name, (double)v);
	else
		cJSON_AddNullToObject(o, name);
}

static cJSON *
choice_obj(const struct build *b, const struct survey_choice *c)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "value", c->value);
	cJSON_AddStringToObject(o, "label",
	    text_in(&c->text, b->o->lang, c->value));
	return (o);
}

/*
 * n, mean, median, sd, min, max.  Published: nothing from fewer than k
 * values, and never min or max, which are one person's answer; no_moments
 * hides mean and sd where they and the visible counts would give the
 * hidden counts back (two unknowns, two equations).
 */
static void
put_stats(struct build *b, cJSON *o, struct numval *v, int nv, int usable,
    int no_moments)
{
	struct stats	s;
	int		ok;

	nv = usable ? numvals_merge(v, nv) : 0;
	stats_of(v, nv, &s);
	put_count(b, o, "n", s.n, primary(b, s.n));
	ok = s.n > 0 && (b->k == 0 || s.n >= b->k);
	if (b->k > 0 && s.n > 0 && !ok)
		b->hidden = 1;
	put_number(o, "mean", s.mean, ok && !no_moments);
	put_number(o, "median", s.median, ok);
	put_number(o, "sd", s.sd, ok && !no_moments && s.n > 1);
	put_number(o, "min", s.min, ok && b->k == 0);
	put_number(o, "max", s.max, ok && b->k == 0);
	if (b->k > 0 && s.n > 0 && no_moments)
		b->hidden = 1;
}

static void
question_choices(struct build *b, int qi, cJSON *o, char *seen_h,
    char *ans_h)
{
	const struct survey_question	*q = &b->def->questions[qi];
	struct qacc			*a = &b->acc[qi];
	struct numval			*v;
	cJSON				*opts, *c;
	char				*hid;
	int				i, any, usable;

	hid = primaries(b, a->cnt, q->nchoices);
	/* Checkbox options overlap: they add up to no published total. */
	if (b->k > 0 && q->type != SQ_CHECKBOX)
		protect(a->cnt, hid, q->nchoices, 1, ans_h, b->k);
	opts = cJSON_AddArrayToObject(o, "options");
	for (any = i = 0; i < q->nchoices; i++) {
		c = choice_obj(b, &q->choices[i]);
		put_count(b, c, "count", a->cnt[i], hid[i]);
		put_share(c, a->cnt[i], hid[i], a->seen, *seen_h);
		cJSON_AddItemToArray(opts, c);
		any |= hid[i];
	}
	if (q->type == SQ_RATING) {
		v = xcalloc(q->nchoices, sizeof(*v));
		for (usable = 1, i = 0; i < q->nchoices; i++) {
			usable &= parse_number(q->choices[i].value, &v[i].v);
			v[i].n = a->cnt[i];
		}
		put_stats(b, o, v, q->nchoices, usable, any);
		free(v);
	}
	free(hid);
}

static void
question_ranking(struct build *b, int qi, cJSON *o, char *ans_h)
{
	const struct survey_question	*q = &b->def->questions[qi];
	const long long			*cnt = b->acc[qi].cnt;
	long long			*first, n, ranks;
	cJSON				*list, *c;
	char				*hid;
	int				i, r, nc = q->nchoices;

	first = xcalloc(nc, sizeof(*first));
	for (i = 0; i < nc; i++)
		first[i] = cnt[i * nc];
	/* Each ranking has one first place: they add up to answered. */
	hid = primaries(b, first, nc);
	if (b->k > 0)
		protect(first, hid, nc, 1, ans_h, b->k);
	list = cJSON_AddArrayToObject(o, "choices");
	for (i = 0; i < nc; i++) {
		c = choice_obj(b, &q->choices[i]);
		for (n = ranks = 0, r = 0; r < nc; r++) {
			n += cnt[i * nc + r];
			ranks += (long long)(r + 1) * cnt[i * nc + r];
		}
		put_count(b, c, "first", first[i], hid[i]);
		put_count(b, c, "n", n, primary(b, n));
		put_number(c, "mean_rank", (long double)ranks / (n ? n : 1),
		    n > 0 && (b->k == 0 || n >= b->k));
		if (b->k > 0 && n > 0 && n < b->k)
			b->hidden = 1;
		cJSON_AddItemToArray(list, c);
	}
	free(hid);
	free(first);
}

static void
question_matrix(struct build *b, int qi, cJSON *o, char seen_h)
{
	const struct survey_question	*q = &b->def->questions[qi];
	const long long			*cnt = b->acc[qi].cnt;
	long long			total;
	cJSON				*rows, *row, *cols, *c;
	char				*hid, total_h;
	int				r, j, nc = q->nchoices;

	rows = cJSON_AddArrayToObject(o, "rows");
	for (r = 0; r < q->nrows; r++) {
		for (total = 0, j = 0; j < nc; j++)
			total += cnt[r * nc + j];
		hid = primaries(b, cnt + r * nc, nc);
		total_h = primary(b, total);
		if (b->k > 0)
			protect(cnt + r * nc, hid, nc, 1, &total_h, b->k);
		row = choice_obj(b, &q->rows[r]);
		put_count(b, row, "answered", total, total_h);
		cols = cJSON_AddArrayToObject(row, "columns");
		for (j = 0; j < nc; j++) {
			c = choice_obj(b, &q->choices[j]);
			put_count(b, c, "count", cnt[r * nc + j], hid[j]);
			put_share(c, cnt[r * nc + j], hid[j], b->acc[qi].seen,
			    seen_h);
			cJSON_AddItemToArray(cols, c);
		}
		cJSON_AddItemToArray(rows, row);
		free(hid);
	}
}

static cJSON *
question(struct build *b, int qi)
{
	const struct survey_question	*q = &b->def->questions[qi];
	struct qacc			*a = &b->acc[qi];
	cJSON				*o;
	char				seen_h, ans_h;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", q->name);
	cJSON_AddStringToObject(o, "type", type_names[q->type]);
	cJSON_AddStringToObject(o, "title",
	    text_in(&q->title, b->o->lang, q->name));
	seen_h = primary(b, a->seen);
	ans_h = primary(b, a->answered);
	cJSON_AddNullToObject(o, "seen");
	cJSON_AddNullToObject(o, "answered");
	switch (q->type) {
	case SQ_RADIOGROUP:
	case SQ_DROPDOWN:
	case SQ_CHECKBOX:
	case SQ_RATING:
		cJSON_AddStringToObject(o, "denominator", "seen");
		question_choices(b, qi, o, &seen_h, &ans_h);
		break;
	case SQ_NUMBER:
		put_stats(b, o, a->vals, a->nvals, 1, 0);
		break;
	case SQ_RANKING:
		question_ranking(b, qi, o, &ans_h);
		break;
	case SQ_MATRIX:
		cJSON_AddStringToObject(o, "denominator", "seen");
		question_matrix(b, qi, o, seen_h);
		break;
	case SQ_TEXT:
	case SQ_COMMENT:
		break;
	}
	/* Filled in last: the groups above may have hidden answered. */
	cJSON_ReplaceItemInObjectCaseSensitive(o, "seen",
	    count_item(b, a->seen, seen_h));
	cJSON_ReplaceItemInObjectCaseSensitive(o, "answered",
	    count_item(b, a->answered, ans_h));
	return (o);
}

/*
 * The cross-table: each row against its total, each column against its
 * total, and both margins against the grand total, until nothing more
 * needs hiding (hiding a cell for its row can leave its column with a
 * single unknown).
 */
static void
crosstab_protect(const struct build *b, const long long *x, int na, int nb,
    const long long *rt, const long long *ct, char *hx, char *hr, char *hc,
    char *hg)
{
	int	i, j, changed;

	do {
		changed = 0;
		for (i = 0; i < na; i++)
			changed |= protect(x + i * nb, hx + i * nb, nb, 1,
			    &hr[i], b->k);
		for (j = 0; j < nb; j++)
			changed |= protect(x + j, hx + j, na, nb, &hc[j],
			    b->k);
		changed |= protect(rt, hr, na, 1, hg, b->k);
		changed |= protect(ct, hc, nb, 1, hg, b->k);
	} while (changed);
}

static cJSON *
crosstab(struct build *b)
{
	const struct survey_question	*qa, *qb;
	long long			*rt, *ct, g;
	cJSON				*o, *rows, *row, *cells, *cols, *c;
	char				*hx, *hr, *hc, hg;
	int				i, j, na, nb;

	if (b->xa < 0)
		return (cJSON_CreateNull());
	qa = &b->def->questions[b->xa];
	qb = &b->def->questions[b->xb];
	na = qa->nchoices;
	nb = qb->nchoices;
	rt = xcalloc(na, sizeof(*rt));
	ct = xcalloc(nb, sizeof(*ct));
	for (g = 0, i = 0; i < na; i++) {
		for (j = 0; j < nb; j++) {
			rt[i] += b->x[i * nb + j];
			ct[j] += b->x[i * nb + j];
			g += b->x[i * nb + j];
		}
	}
	hx = primaries(b, b->x, na * nb);
	hr = primaries(b, rt, na);
	hc = primaries(b, ct, nb);
	hg = primary(b, g);
	if (b->k > 0)
		crosstab_protect(b, b->x, na, nb, rt, ct, hx, hr, hc, &hg);

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "a", qa->name);
	cJSON_AddStringToObject(o, "b", qb->name);
	cols = cJSON_AddArrayToObject(o, "columns");
	for (j = 0; j < nb; j++) {
		c = choice_obj(b, &qb->choices[j]);
		put_count(b, c, "total", ct[j], hc[j]);
		cJSON_AddItemToArray(cols, c);
	}
	rows = cJSON_AddArrayToObject(o, "rows");
	for (i = 0; i < na; i++) {
		row = choice_obj(b, &qa->choices[i]);
		cells = cJSON_AddArrayToObject(row, "counts");
		for (j = 0; j < nb; j++)
			cJSON_AddItemToArray(cells, count_item(b,
			    b->x[i * nb + j], hx[i * nb + j]));
		put_count(b, row, "total", rt[i], hr[i]);
		cJSON_AddItemToArray(rows, row);
	}
	put_count(b, o, "total", g, hg);
	free(rt);
	free(ct);
	free(hx);
	free(hr);
	free(hc);
	return (o);
}

static int
day_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct day *)a)->date,
	    ((const struct day *)b)->date));
}

/* Responses per day, against the respondents. */
static cJSON *
days(struct build *b, char *resp_h)
{
	long long	*n;
	cJSON		*list, *d;
	char		*hid;
	int		i, m;

	if (b->ndays > 0)
		qsort(b->days, b->ndays, sizeof(*b->days), day_cmp);
	for (m = i = 0; i < b->ndays; i++) {
		if (m > 0 && strcmp(b->days[m - 1].date, b->days[i].date) == 0)
			b->days[m - 1].n += b->days[i].n;
		else
			b->days[m++] = b->days[i];
	}
	n = xcalloc(m, sizeof(*n));
	for (i = 0; i < m; i++)
		n[i] = b->days[i].n;
	hid = primaries(b, n, m);
	if (b->k > 0)
		protect(n, hid, m, 1, resp_h, b->k);
	list = cJSON_CreateArray();
	for (i = 0; i < m; i++) {
		if (n[i] == 0)
			continue;
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "date", b->days[i].date);
		put_count(b, d, "count", n[i], hid[i]);
		cJSON_AddItemToArray(list, d);
	}
	free(hid);
	free(n);
	return (list);
}

cJSON *
results_build(const struct survey_def *def, const struct tally *t, int nt,
    const struct results_opts *o)
{
	struct build	b;
	cJSON		*doc, *qs;
	char		resp_h;
	int		i;

	build_init(&b, def, o);
	for (i = 0; i < nt; i++)
		add_row(&b, &t[i]);
	doc = cJSON_CreateObject();
	cJSON_AddNumberToObject(doc, "k", b.k);
	cJSON_AddBoolToObject(doc, "suppressed", 0);
	if (primary(&b, b.respondents)) {
		/* Fewer than k: any figure would describe too few people. */
		cJSON_ReplaceItemInObjectCaseSensitive(doc, "suppressed",
		    cJSON_CreateTrue());
		cJSON_AddTrueToObject(doc, "too_few_respondents");
		cJSON_AddNullToObject(doc, "respondents");
		goto out;
	}
	cJSON_AddNullToObject(doc, "respondents");
	qs = cJSON_AddArrayToObject(doc, "questions");
	for (i = 0; i < def->nquestions; i++)
		cJSON_AddItemToArray(qs, question(&b, i));
	cJSON_AddItemToObject(doc, "crosstab", crosstab(&b));
	resp_h = 0;
	cJSON_AddItemToObject(doc, "days", days(&b, &resp_h));
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "respondents",
	    count_item(&b, b.respondents, resp_h));
	if (b.hidden)
		cJSON_ReplaceItemInObjectCaseSensitive(doc, "suppressed",
		    cJSON_CreateTrue());
out:
	build_free(&b);
	return (doc);
}

/* As PQgetvalue gives them to the results page: NULL is "". */
static const char *
text_at(const cJSON *row, int i)
{
	const char	*s = cJSON_GetStringValue(cJSON_GetArrayItem(row, i));

	return (s != NULL ? s : "");
}

/*
 * The results document from a survey's definition and its tallies as a
 * query carries several surveys at once: [[kind, question, item, value,
 * n], …] as survey_tally_rows gives them.  NULL when the definition no
 * longer parses.
 */
cJSON *
results_from_json(const cJSON *definition, const cJSON *tallies,
    const struct results_opts *o)
{
	struct survey_problems	*problems;
	struct survey_def	*def;
	struct tally		*t;
	const cJSON		*row;
	cJSON			*doc;
	int			n = 0;

	problems = xcalloc(1, sizeof(*problems));
	def = survey_parse(definition, problems);
	free(problems);
	if (def == NULL)
		return (NULL);
	t = xcalloc((size_t)cJSON_GetArraySize(tallies) + 1, sizeof(*t));
	cJSON_ArrayForEach(row, tallies) {
		t[n].kind = text_at(row, 0)[0];
		t[n].question = text_at(row, 1);
		t[n].item = text_at(row, 2);
		t[n].value = text_at(row, 3);
		t[n++].n = (long long)cJSON_GetNumberValue(
		    cJSON_GetArrayItem(row, 4));
	}
	doc = results_build(def, t, n, o);
	free(t);
	survey_free(def);
	return (doc);
}

/*
 * The most chosen option, only when the withheld counts cannot hide a
 * larger one: a single choice's options add up to "answered", so the
 * hidden ones share what the shown ones leave; a checkbox's hidden
 * options are all below k (they add up to nothing, so none is hidden
 * for another's sake).  A tie names none.
 */
static cJSON *
most_chosen(const cJSON *q, int k)
{
	const cJSON	*c, *cnt, *top = NULL, *ans;
	double		shown = 0, best = -1, bound;
	int		hidden = 0, tie = 0;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(q, "options")) {
		cnt = cJSON_GetObjectItemCaseSensitive(c, "count");
		if (!cJSON_IsNumber(cnt)) {
			hidden = 1;
			continue;
		}
		shown += cnt->valuedouble;
		tie = cnt->valuedouble == best;
		if (cnt->valuedouble > best) {
			best = cnt->valuedouble;
			top = c;
		}
	}
	ans = cJSON_GetObjectItemCaseSensitive(q, "answered");
	if (strcmp(json_str(q, "type"), "checkbox") == 0)
		bound = hidden ? k - 1 : 0;
	else
		bound = cJSON_IsNumber(ans) ? ans->valuedouble - shown : INFINITY;
	if (top == NULL || tie || best <= 0 || best <= bound)
		return (cJSON_CreateNull());
	return (cJSON_Duplicate(top, 1));
}

/*
 * One line per item of a results document as published: the mean of a
 * rating or number, the most chosen option (with its count and share) of
 * a single or multiple choice; rankings, matrices and texts have no one
 * figure and are left out.  Withheld figures stay null.
 */
cJSON *
results_summary(const cJSON *doc)
{
	const cJSON	*q;
	cJSON		*list, *o;
	const char	*type;
	int		k = (int)json_num(doc, "k");

	list = cJSON_CreateArray();
	cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(doc,
	    "questions")) {
		type = json_str(q, "type");
		if (type == NULL || (cJSON_GetObjectItemCaseSensitive(q,
		    "mean") == NULL && strcmp(type, "radiogroup") != 0 &&
		    strcmp(type, "dropdown") != 0 &&
		    strcmp(type, "checkbox") != 0))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "question", json_str(q, "name"));
		cJSON_AddStringToObject(o, "title", json_str(q, "title"));
		cJSON_AddStringToObject(o, "type", type);
		cJSON_AddItemToObject(o, "answered", cJSON_Duplicate(
		    cJSON_GetObjectItemCaseSensitive(q, "answered"), 1));
		if (cJSON_GetObjectItemCaseSensitive(q, "mean") != NULL)
			cJSON_AddItemToObject(o, "mean", cJSON_Duplicate(
			    cJSON_GetObjectItemCaseSensitive(q, "mean"), 1));
		else
			cJSON_AddItemToObject(o, "most_chosen",
			    most_chosen(q, k));
		cJSON_AddItemToArray(list, o);
	}
	return (list);
}
