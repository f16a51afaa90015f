#include <math.h>
#include <stdlib.h>

#include "mitwirken.h"
#include "unit.h"

/*
 * Definitions are built by hand (a survey_def is a plain struct), so these
 * tests need no parser.  Responses go through results_tallies, their keys
 * are summed as the SQL would, and results_build reads the sums.
 */

static struct survey_choice abc[] = {
	{ "a", 0, { "Alpha", "Alpha (en)" } },
	{ "b", 0, { "Beta", "" } },
	{ "c", 0, { NULL, NULL } },
};
static struct survey_choice xyz[] = {
	{ "x", 0, { "X", "X" } },
	{ "y", 0, { "Y", "Y" } },
	{ "z", 0, { "Z", "Z" } },
	{ "w", 0, { "W", "W" } },
};
static struct survey_choice five[] = {
	{ "1", 1, { "1", "1" } }, { "2", 1, { "2", "2" } },
	{ "3", 1, { "3", "3" } }, { "4", 1, { "4", "4" } },
	{ "5", 1, { "5", "5" } },
};
static struct survey_choice rows2[] = {
	{ "r1", 0, { "Zeile 1", "Row 1" } },
	{ "r2", 0, { "Zeile 2", "Row 2" } },
};

enum { Q_COLOR, Q_PETS, Q_STARS, Q_AGE, Q_ORDER, Q_GRID, Q_NOTE, Q_SIZE,
	NQ };

static struct survey_question qs[NQ] = {
	{ .name = "color", .type = SQ_RADIOGROUP,
	    .title = { "Farbe", "Colour" }, .choices = abc, .nchoices = 3 },
	{ .name = "pets", .type = SQ_CHECKBOX, .choices = abc, .nchoices = 3 },
	{ .name = "stars", .type = SQ_RATING, .choices = five, .nchoices = 5 },
	{ .name = "age", .type = SQ_NUMBER },
	{ .name = "order", .type = SQ_RANKING, .choices = abc, .nchoices = 3 },
	{ .name = "grid", .type = SQ_MATRIX, .choices = abc, .nchoices = 3,
	    .rows = rows2, .nrows = 2 },
	{ .name = "note", .type = SQ_COMMENT },
	{ .name = "size", .type = SQ_DROPDOWN, .choices = xyz, .nchoices = 4 },
};

static struct survey_def def = { .nquestions = NQ, .questions = qs };

/* The summed tallies, as the SQL keeps them. */
struct sums {
	struct tally	*t;
	int		n;
	int		cap;
};

static void
sums_add(struct sums *s, char kind, const char *q, const char *item,
    const char *value, long long n)
{
	int	i;

	for (i = 0; i < s->n; i++) {
		if (s->t[i].kind == kind && !strcmp(s->t[i].question, q) &&
		    !strcmp(s->t[i].item, item) &&
		    !strcmp(s->t[i].value, value)) {
			s->t[i].n += n;
			return;
		}
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->t = realloc(s->t, s->cap * sizeof(*s->t));
	}
	s->t[s->n].kind = kind;
	s->t[s->n].question = strdup(q);
	s->t[s->n].item = strdup(item);
	s->t[s->n].value = strdup(value);
	s->t[s->n].n = n;
	s->n++;
}

static void
sums_free(struct sums *s)
{
	int	i;

	for (i = 0; i < s->n; i++) {
		free((char *)s->t[i].question);
		free((char *)s->t[i].item);
		free((char *)s->t[i].value);
	}
	free(s->t);
	memset(s, 0, sizeof(*s));
}

/* Adds one response's keys; returns how many keys it had. */
static int
sums_keys(struct sums *s, const char *json, const char *day)
{
	cJSON	*arr, *k;
	int	n = 0;

	arr = cJSON_Parse(json);
	CHECK(cJSON_IsArray(arr));
	cJSON_ArrayForEach(k, arr) {
		CHECK(cJSON_GetArraySize(k) == 4);
		sums_add(s, cJSON_GetArrayItem(k, 0)->valuestring[0],
		    cJSON_GetArrayItem(k, 1)->valuestring,
		    cJSON_GetArrayItem(k, 2)->valuestring,
		    cJSON_GetArrayItem(k, 3)->valuestring, 1);
		n++;
	}
	cJSON_Delete(arr);
	if (day != NULL)
		sums_add(s, 'd', "", "", day, 1);
	return (n);
}

/* One response: answers as JSON text, seen as "1101..." (NULL: all). */
static void
respond(struct sums *s, const char *answers, const char *seen_mask,
    const char *xa, const char *xb)
{
	struct strbuf	out;
	unsigned char	seen[NQ];
	cJSON		*a;
	int		i;

	for (i = 0; i < NQ; i++)
		seen[i] = seen_mask == NULL || seen_mask[i] == '1';
	a = cJSON_Parse(answers);
	CHECK(a != NULL);
	strbuf_init(&out, 64);
	results_tallies(&def, a, seen, xa, xb, &out);
	sums_keys(s, out.data, "2026-05-04");
	strbuf_free(&out);
	cJSON_Delete(a);
}

static cJSON *
build(struct sums *s, int k, const char *xa, const char *xb)
{
	struct results_opts	o = { k, LANG_DE, xa, xb };

	return (results_build(&def, s->t, s->n, &o));
}

static cJSON *
question(cJSON *doc, const char *name)
{
	cJSON	*q;

	cJSON_ArrayForEach(q, cJSON_GetObjectItem(doc, "questions")) {
		if (!strcmp(cJSON_GetObjectItem(q, "name")->valuestring, name))
			return (q);
	}
	return (NULL);
}

/* A member's number, NAN for null or missing. */
static double
num(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItem(o, name);

	return (cJSON_IsNumber(v) ? v->valuedouble : NAN);
}

static int
is_null(const cJSON *o, const char *name)
{
	return (cJSON_IsNull(cJSON_GetObjectItem(o, name)));
}

static cJSON *
item(const cJSON *o, const char *array, int i)
{
	return (cJSON_GetArrayItem(cJSON_GetObjectItem(o, array), i));
}

static int
near(double got, double want)
{
	return (fabs(got - want) <= 1e-12 * (fabs(want) > 1 ? fabs(want) : 1));
}

/* The exact keys one response adds, in their documented form. */
static void
tally_keys(void)
{
	struct strbuf	out;
	unsigned char	seen[NQ] = { 1, 1, 1, 1, 1, 1, 1, 0 };
	cJSON		*a;

	a = cJSON_Parse("{\"color\":\"b\",\"pets\":[\"c\",\"a\",\"c\"],"
	    "\"stars\":4,\"age\":-0.0,\"order\":[\"c\",\"a\",\"b\"],"
	    "\"grid\":{\"r2\":\"a\",\"r9\":\"b\"},\"note\":\"x\\\"y\","
	    "\"size\":\"x\"}");
	strbuf_init(&out, 64);
	results_tallies(&def, a, seen, "color", "pets", &out);
	CHECK_STR(out.data, "[[\"n\",\"\",\"\",\"\"],"
	    "[\"s\",\"color\",\"\",\"\"],[\"a\",\"color\",\"\",\"\"],"
	    "[\"v\",\"color\",\"\",\"b\"],"
	    "[\"s\",\"pets\",\"\",\"\"],[\"a\",\"pets\",\"\",\"\"],"
	    "[\"v\",\"pets\",\"\",\"a\"],[\"v\",\"pets\",\"\",\"c\"],"
	    "[\"s\",\"stars\",\"\",\"\"],[\"a\",\"stars\",\"\",\"\"],"
	    "[\"v\",\"stars\",\"\",\"4\"],"
	    "[\"s\",\"age\",\"\",\"\"],[\"a\",\"age\",\"\",\"\"],"
	    "[\"v\",\"age\",\"\",\"0\"],"
	    "[\"s\",\"order\",\"\",\"\"],[\"a\",\"order\",\"\",\"\"],"
	    "[\"v\",\"order\",\"c\",\"1\"],[\"v\",\"order\",\"a\",\"2\"],"
	    "[\"v\",\"order\",\"b\",\"3\"],"
	    "[\"s\",\"grid\",\"\",\"\"],[\"a\",\"grid\",\"\",\"\"],"
	    "[\"v\",\"grid\",\"r2\",\"a\"],"
	    "[\"s\",\"note\",\"\",\"\"],[\"a\",\"note\",\"\",\"\"],"
	    "[\"x\",\"\",\"b\",\"a\"],[\"x\",\"\",\"b\",\"c\"]]");
	cJSON_Delete(a);

	/* Not answered: only "s"; a number's canonical text; no cross. */
	a = cJSON_Parse("{\"age\":12345678.25,\"pets\":[],\"note\":\"\"}");
	strbuf_reset(&out);
	memset(seen, 0, sizeof(seen));
	seen[Q_AGE] = seen[Q_PETS] = seen[Q_NOTE] = 1;
	results_tallies(&def, a, seen, "color", "pets", &out);
	CHECK_STR(out.data, "[[\"n\",\"\",\"\",\"\"],"
	    "[\"s\",\"pets\",\"\",\"\"],"
	    "[\"s\",\"age\",\"\",\"\"],[\"a\",\"age\",\"\",\"\"],"
	    "[\"v\",\"age\",\"\",\"12345678.25\"],"
	    "[\"s\",\"note\",\"\",\"\"]]");
	cJSON_Delete(a);

	/* A numeric choice given as a number; an unseen answer is ignored. */
	a = cJSON_Parse("{\"stars\":3.0,\"color\":\"a\",\"age\":0.1}");
	strbuf_reset(&out);
	seen[Q_STARS] = 1;
	seen[Q_AGE] = 1;
	results_tallies(&def, a, seen, NULL, NULL, &out);
	CHECK(strstr(out.data, "[\"v\",\"stars\",\"\",\"3\"]") != NULL);
	CHECK(strstr(out.data, "[\"v\",\"age\",\"\",\"0.1\"]") != NULL);
	CHECK(strstr(out.data, "color") == NULL);
	cJSON_Delete(a);
	strbuf_free(&out);

	/* A numeric choice whose text is not %.15g still matches. */
	{
		struct survey_choice	odd[] = { { "10.0", 1, { 0, 0 } } };
		struct survey_question	q1 = { .name = "r",
					    .type = SQ_RATING, .choices = odd,
					    .nchoices = 1 };
		struct survey_def	d1 = { .nquestions = 1,
					    .questions = &q1 };
		unsigned char		one = 1;

		a = cJSON_Parse("{\"r\":10}");
		strbuf_init(&out, 64);
		results_tallies(&d1, a, &one, NULL, NULL, &out);
		CHECK(strstr(out.data, "[\"v\",\"r\",\"\",\"10.0\"]") !=
		    NULL);
		cJSON_Delete(a);
		strbuf_free(&out);
	}
}

static void
choices_by_hand(void)
{
	struct sums	s = { 0 };
	cJSON		*doc, *q, *o;

	respond(&s, "{\"color\":\"a\",\"pets\":[\"a\",\"b\"]}", NULL,
	    NULL, NULL);
	respond(&s, "{\"color\":\"a\",\"pets\":[\"a\"]}", NULL, NULL, NULL);
	respond(&s, "{\"color\":\"c\",\"pets\":[\"a\",\"b\",\"c\"]}", NULL,
	    NULL, NULL);
	respond(&s, "{}", NULL, NULL, NULL);
	respond(&s, "{}", "00000000", NULL, NULL);
	/* Unknown questions and values in the tallies are ignored. */
	sums_add(&s, 'v', "color", "", "purple", 7);
	sums_add(&s, 'v', "gone", "", "a", 7);
	sums_add(&s, 'q', "color", "", "a", 7);
	doc = build(&s, 0, NULL, NULL);
	CHECK(num(doc, "k") == 0);
	CHECK(cJSON_IsFalse(cJSON_GetObjectItem(doc, "suppressed")));
	CHECK(num(doc, "respondents") == 5);
	q = question(doc, "color");
	CHECK_STR(cJSON_GetObjectItem(q, "type")->valuestring, "radiogroup");
	CHECK_STR(cJSON_GetObjectItem(q, "title")->valuestring, "Farbe");
	CHECK_STR(cJSON_GetObjectItem(q, "denominator")->valuestring,
	    "seen");
	CHECK(num(q, "seen") == 4 && num(q, "answered") == 3);
	o = item(q, "options", 0);
	CHECK_STR(cJSON_GetObjectItem(o, "value")->valuestring, "a");
	CHECK_STR(cJSON_GetObjectItem(o, "label")->valuestring, "Alpha");
	CHECK(num(o, "count") == 2 && num(o, "share") == 0.5);
	o = item(q, "options", 1);
	CHECK(num(o, "count") == 0 && num(o, "share") == 0);
	o = item(q, "options", 2);
	CHECK_STR(cJSON_GetObjectItem(o, "label")->valuestring, "c");
	CHECK(num(o, "count") == 1 && num(o, "share") == 0.25);
	/* Checkbox: per option, not per combination. */
	q = question(doc, "pets");
	CHECK(num(item(q, "options", 0), "count") == 3);
	CHECK(num(item(q, "options", 0), "share") == 0.75);
	CHECK(num(item(q, "options", 1), "count") == 2);
	CHECK(num(item(q, "options", 2), "count") == 1);
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(q, "options")) == 3);
	/* Text: only seen and answered. */
	q = question(doc, "note");
	CHECK(num(q, "seen") == 4 && num(q, "answered") == 0);
	CHECK(cJSON_GetObjectItem(q, "options") == NULL);
	CHECK(cJSON_IsNull(cJSON_GetObjectItem(doc, "crosstab")));
	o = item(doc, "days", 0);
	CHECK_STR(cJSON_GetObjectItem(o, "date")->valuestring, "2026-05-04");
	CHECK(num(o, "count") == 5);
	cJSON_Delete(doc);

	/* English titles and labels, German where English is missing. */
	{
		struct results_opts	en = { 0, LANG_EN, NULL, NULL };

		doc = results_build(&def, s.t, s.n, &en);
		q = question(doc, "color");
		CHECK_STR(cJSON_GetObjectItem(q, "title")->valuestring,
		    "Colour");
		CHECK_STR(cJSON_GetObjectItem(item(q, "options", 0),
		    "label")->valuestring, "Alpha (en)");
		CHECK_STR(cJSON_GetObjectItem(item(q, "options", 1),
		    "label")->valuestring, "Beta");
		cJSON_Delete(doc);
	}
	sums_free(&s);
}

static void
stats_by_hand(void)
{
	struct sums	s = { 0 };
	cJSON		*doc, *q;

	/* Ratings 1, 2, 2, 4: mean 2.25, median 2, sd sqrt(4.75 / 3). */
	respond(&s, "{\"stars\":1,\"age\":1}", NULL, NULL, NULL);
	respond(&s, "{\"stars\":2,\"age\":2}", NULL, NULL, NULL);
	respond(&s, "{\"stars\":\"2\",\"age\":3}", NULL, NULL, NULL);
	respond(&s, "{\"stars\":4,\"age\":10}", NULL, NULL, NULL);
	doc = build(&s, 0, NULL, NULL);
	q = question(doc, "stars");
	CHECK(num(q, "n") == 4);
	CHECK(num(q, "mean") == 2.25);
	CHECK(num(q, "median") == 2);
	CHECK(near(num(q, "sd"), sqrt(4.75 / 3)));
	CHECK(num(q, "min") == 1 && num(q, "max") == 4);
	CHECK(num(item(q, "options", 1), "count") == 2);
	CHECK(num(item(q, "options", 4), "count") == 0);
	/* Numbers 1, 2, 3, 10: the median of an even n is 2.5, as in R. */
	q = question(doc, "age");
	CHECK(num(q, "n") == 4 && num(q, "mean") == 4);
	CHECK(num(q, "median") == 2.5);
	CHECK(near(num(q, "sd"), sqrt((9.0 + 4 + 1 + 36) / 3)));
	CHECK(num(q, "min") == 1 && num(q, "max") == 10);
	cJSON_Delete(doc);
	sums_free(&s);
}

static void
ranking_matrix_by_hand(void)
{
	struct sums	s = { 0 };
	cJSON		*doc, *q, *row;

	respond(&s, "{\"order\":[\"a\",\"b\",\"c\"],"
	    "\"grid\":{\"r1\":\"a\",\"r2\":\"b\"}}", NULL, NULL, NULL);
	respond(&s, "{\"order\":[\"b\",\"a\",\"c\"],"
	    "\"grid\":{\"r1\":\"a\"}}", NULL, NULL, NULL);
	respond(&s, "{\"order\":[\"a\",\"c\",\"b\"],"
	    "\"grid\":{\"r1\":\"c\",\"r2\":\"b\"}}", NULL, NULL, NULL);
	respond(&s, "{}", NULL, NULL, NULL);
	doc = build(&s, 0, NULL, NULL);
	q = question(doc, "order");
	CHECK(num(q, "answered") == 3);
	/* a: ranks 1, 2, 1; b: 2, 1, 3; c: 3, 3, 2. */
	CHECK(near(num(item(q, "choices", 0), "mean_rank"), 4.0 / 3));
	CHECK(num(item(q, "choices", 0), "first") == 2);
	CHECK(num(item(q, "choices", 1), "mean_rank") == 2);
	CHECK(num(item(q, "choices", 1), "first") == 1);
	CHECK(near(num(item(q, "choices", 2), "mean_rank"), 8.0 / 3));
	CHECK(num(item(q, "choices", 2), "first") == 0);
	CHECK(num(item(q, "choices", 2), "n") == 3);
	q = question(doc, "grid");
	CHECK(num(q, "seen") == 4 && num(q, "answered") == 3);
	row = item(q, "rows", 0);
	CHECK_STR(cJSON_GetObjectItem(row, "label")->valuestring, "Zeile 1");
	CHECK(num(row, "answered") == 3);
	CHECK(num(item(row, "columns", 0), "count") == 2);
	CHECK(num(item(row, "columns", 0), "share") == 0.5);
	CHECK(num(item(row, "columns", 2), "count") == 1);
	row = item(q, "rows", 1);
	CHECK(num(row, "answered") == 2);
	CHECK(num(item(row, "columns", 1), "count") == 2);
	CHECK(num(item(row, "columns", 0), "count") == 0);
	cJSON_Delete(doc);
	sums_free(&s);
}

static void
crosstab_and_days(void)
{
	struct sums	s = { 0 };
	cJSON		*doc, *x, *row;

	respond(&s, "{\"color\":\"a\",\"pets\":[\"a\",\"b\"]}", NULL,
	    "color", "pets");
	respond(&s, "{\"color\":\"a\",\"pets\":[\"b\"]}", NULL,
	    "color", "pets");
	respond(&s, "{\"color\":\"c\",\"pets\":[\"c\"]}", NULL,
	    "color", "pets");
	respond(&s, "{\"color\":\"c\"}", NULL, "color", "pets");
	/* Days arrive in any order and per channel: summed and sorted. */
	sums_add(&s, 'd', "", "", "2026-05-01", 2);
	sums_add(&s, 'd', "", "", "2026-05-03", 0);
	sums_add(&s, 'n', "", "", "", 2);
	doc = build(&s, 0, "color", "pets");
	x = cJSON_GetObjectItem(doc, "crosstab");
	CHECK_STR(cJSON_GetObjectItem(x, "a")->valuestring, "color");
	CHECK_STR(cJSON_GetObjectItem(x, "b")->valuestring, "pets");
	row = item(x, "rows", 0);
	CHECK(num(row, "total") == 3);
	CHECK(cJSON_GetArrayItem(cJSON_GetObjectItem(row, "counts"),
	    0)->valuedouble == 1);
	CHECK(cJSON_GetArrayItem(cJSON_GetObjectItem(row, "counts"),
	    1)->valuedouble == 2);
	CHECK(num(item(x, "rows", 1), "total") == 0);
	CHECK(num(item(x, "rows", 2), "total") == 1);
	CHECK(num(item(x, "columns", 1), "total") == 2);
	CHECK(num(x, "total") == 4);
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "days")) == 2);
	CHECK_STR(cJSON_GetObjectItem(item(doc, "days", 0),
	    "date")->valuestring, "2026-05-01");
	CHECK(num(item(doc, "days", 1), "count") == 4);
	cJSON_Delete(doc);
	/* A crosstab naming an unknown or a free-text question: none. */
	doc = build(&s, 0, "color", "note");
	CHECK(cJSON_IsNull(cJSON_GetObjectItem(doc, "crosstab")));
	cJSON_Delete(doc);
	sums_free(&s);
}

/* Numbers added straight to the tallies: n=1, equal, negative, large. */
static void
stats_edges(void)
{
	struct sums	s = { 0 };
	cJSON		*doc, *q;

	sums_add(&s, 'n', "", "", "", 1);
	sums_add(&s, 'v', "age", "", "-7.5", 1);
	doc = build(&s, 0, NULL, NULL);
	q = question(doc, "age");
	CHECK(num(q, "n") == 1 && num(q, "mean") == -7.5);
	CHECK(num(q, "median") == -7.5 && is_null(q, "sd"));
	cJSON_Delete(doc);
	sums_free(&s);

	/* A million times 0.1: mean exactly 0.1, sd exactly 0. */
	sums_add(&s, 'n', "", "", "", 1000000);
	sums_add(&s, 'v', "age", "", "0.1", 1000000);
	doc = build(&s, 0, NULL, NULL);
	q = question(doc, "age");
	CHECK(num(q, "mean") == 0.1 && num(q, "sd") == 0);
	CHECK(num(q, "median") == 0.1);
	cJSON_Delete(doc);
	sums_free(&s);

	/* Negative values; -0 and 0 are one value. */
	sums_add(&s, 'n', "", "", "", 5);
	sums_add(&s, 'v', "age", "", "-3", 2);
	sums_add(&s, 'v', "age", "", "-0", 1);
	sums_add(&s, 'v', "age", "", "0", 1);
	sums_add(&s, 'v', "age", "", "6", 1);
	sums_add(&s, 'v', "age", "", "abc", 9);
	sums_add(&s, 'v', "age", "", "inf", 9);
	doc = build(&s, 0, NULL, NULL);
	q = question(doc, "age");
	CHECK(num(q, "n") == 5 && num(q, "mean") == 0);
	CHECK(num(q, "median") == 0 && num(q, "min") == -3);
	CHECK(near(num(q, "sd"), sqrt((9.0 + 9 + 36) / 4)));
	cJSON_Delete(doc);
	sums_free(&s);

	/* Large counts: 3e9 fives and 1e9 ones; counts stay exact. */
	sums_add(&s, 'n', "", "", "", 4000000000LL);
	sums_add(&s, 'a', "stars", "", "", 4000000000LL);
	sums_add(&s, 's', "stars", "", "", 4000000001LL);
	sums_add(&s, 'v', "stars", "", "5", 3000000000LL);
	sums_add(&s, 'v', "stars", "", "1", 1000000000LL);
	doc = build(&s, 5, NULL, NULL);
	q = question(doc, "stars");
	CHECK(num(q, "n") == 4000000000.0 && num(q, "mean") == 4);
	CHECK(num(q, "median") == 5);
	/* sd^2 = (1e9 * 9 + 3e9 * 1) / (4e9 - 1) */
	CHECK(near(num(q, "sd"), sqrt(12e9 / (4e9 - 1))));
	CHECK(num(item(q, "options", 4), "count") == 3000000000.0);
	CHECK(num(item(q, "options", 4), "share") ==
	    3000000000.0 / 4000000001.0);
	cJSON_Delete(doc);
	sums_free(&s);
}

/* Adds n identical answers to one choice question. */
static void
add_choice(struct sums *s, const char *q, const char *value, long long n)
{
	sums_add(s, 'v', q, "", value, n);
}

/* The counts of "options" as numbers, -1 for null. */
static void
counts_of(cJSON *q, long long *out, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		cJSON *c = cJSON_GetObjectItem(item(q, "options", i), "count");
		out[i] = cJSON_IsNull(c) ? -1 : (long long)c->valuedouble;
	}
}

static void
suppress_options(void)
{
	struct sums	s = { 0 };
	cJSON		*doc, *q;
	long long	c[4];

	sums_add(&s, 'n', "", "", "", 48);
	/* One hidden (3): the smallest other non-zero (7) goes too. */
	sums_add(&s, 's', "size", "", "", 40);
	sums_add(&s, 'a', "size", "", "", 38);
	add_choice(&s, "size", "x", 3);
	add_choice(&s, "size", "y", 8);
	add_choice(&s, "size", "z", 7);
	add_choice(&s, "size", "w", 20);
	/* Two hidden (1, 2) adding up to less than k: 30 goes too. */
	sums_add(&s, 's', "color", "", "", 33);
	sums_add(&s, 'a', "color", "", "", 33);
	add_choice(&s, "color", "a", 1);
	add_choice(&s, "color", "b", 2);
	add_choice(&s, "color", "c", 30);
	/* Checkbox: primary only. */
	sums_add(&s, 's', "pets", "", "", 40);
	sums_add(&s, 'a', "pets", "", "", 30);
	add_choice(&s, "pets", "a", 2);
	add_choice(&s, "pets", "b", 10);
	add_choice(&s, "pets", "c", 30);
	doc = build(&s, 5, NULL, NULL);
	CHECK(num(doc, "k") == 5);
	CHECK(cJSON_IsTrue(cJSON_GetObjectItem(doc, "suppressed")));
	CHECK(num(doc, "respondents") == 48);
	q = question(doc, "size");
	counts_of(q, c, 4);
	CHECK(c[0] == -1 && c[1] == 8 && c[2] == -1 && c[3] == 20);
	CHECK(is_null(item(q, "options", 0), "share"));
	CHECK(is_null(item(q, "options", 2), "share"));
	CHECK(num(item(q, "options", 1), "share") == 8.0 / 40);
	CHECK(num(q, "answered") == 38);
	q = question(doc, "color");
	counts_of(q, c, 3);
	CHECK(c[0] == -1 && c[1] == -1 && c[2] == -1);
	CHECK(num(q, "answered") == 33);
	q = question(doc, "pets");
	counts_of(q, c, 3);
	CHECK(c[0] == -1 && c[1] == 10 && c[2] == 30);
	cJSON_Delete(doc);

	/* The same tallies for planners: nothing hidden. */
	doc = build(&s, 0, NULL, NULL);
	CHECK(cJSON_IsFalse(cJSON_GetObjectItem(doc, "suppressed")));
	counts_of(question(doc, "size"), c, 4);
	CHECK(c[0] == 3 && c[2] == 7);
	cJSON_Delete(doc);
	sums_free(&s);

	/* One hidden cell and no other non-zero: answered goes instead. */
	sums_add(&s, 'n', "", "", "", 10);
	sums_add(&s, 's', "size", "", "", 10);
	sums_add(&s, 'a', "size", "", "", 3);
	add_choice(&s, "size", "z", 3);
	doc = build(&s, 5, NULL, NULL);
	q = question(doc, "size");
	counts_of(q, c, 4);
	CHECK(c[0] == 0 && c[2] == -1);
	CHECK(is_null(q, "answered") && num(q, "seen") == 10);
	cJSON_Delete(doc);
	sums_free(&s);
}

/* Statistics: nothing from fewer than k values; never min and max. */
static void
suppress_stats(void)
{
	struct sums	s = { 0 };
	cJSON		*doc, *q;

	sums_add(&s, 'n', "", "", "", 30);
	sums_add(&s, 'a', "age", "", "", 4);
	sums_add(&s, 'v', "age", "", "30", 2);
	sums_add(&s, 'v', "age", "", "40", 2);
	sums_add(&s, 'v', "stars", "", "3", 10);
	sums_add(&s, 'v', "stars", "", "4", 10);
	sums_add(&s, 'v', "stars", "", "5", 1);
	sums_add(&s, 'v', "order", "a", "1", 3);
	sums_add(&s, 'v', "order", "b", "1", 10);
	sums_add(&s, 'v', "order", "c", "1", 10);
	sums_add(&s, 'v', "order", "a", "2", 20);
	sums_add(&s, 'a', "order", "", "", 23);
	doc = build(&s, 5, NULL, NULL);
	q = question(doc, "age");
	CHECK(is_null(q, "n") && is_null(q, "mean") && is_null(q, "median"));
	CHECK(is_null(q, "sd") && is_null(q, "answered"));
	/* A hidden option count: mean and sd would give it back. */
	q = question(doc, "stars");
	CHECK(num(q, "n") == 21 && num(q, "median") == 4);
	CHECK(is_null(q, "mean") && is_null(q, "sd"));
	CHECK(is_null(q, "min") && is_null(q, "max"));
	/* First places add up to answered: 3 hidden, then one of the 10s. */
	q = question(doc, "order");
	CHECK(is_null(item(q, "choices", 0), "first"));
	CHECK(is_null(item(q, "choices", 1), "first"));
	CHECK(num(item(q, "choices", 2), "first") == 10);
	CHECK(near(num(item(q, "choices", 0), "mean_rank"), 43.0 / 23));
	CHECK(is_null(item(q, "choices", 1), "mean_rank") == 0);
	cJSON_Delete(doc);
	doc = build(&s, 0, NULL, NULL);
	q = question(doc, "stars");
	CHECK(num(q, "min") == 3 && num(q, "max") == 5);
	cJSON_Delete(doc);
	sums_free(&s);
}

static void
suppress_matrix_days_whole(void)
{
	struct sums	s = { 0 };
	cJSON		*doc, *row;

	sums_add(&s, 'n', "", "", "", 40);
	sums_add(&s, 's', "grid", "", "", 40);
	sums_add(&s, 'v', "grid", "r1", "a", 2);
	sums_add(&s, 'v', "grid", "r1", "b", 12);
	sums_add(&s, 'v', "grid", "r1", "c", 9);
	sums_add(&s, 'v', "grid", "r2", "a", 12);
	sums_add(&s, 'd', "", "", "2026-05-02", 1);
	sums_add(&s, 'd', "", "", "2026-05-01", 30);
	sums_add(&s, 'd', "", "", "2026-05-03", 9);
	doc = build(&s, 5, NULL, NULL);
	row = item(question(doc, "grid"), "rows", 0);
	CHECK(num(row, "answered") == 23);
	CHECK(is_null(item(row, "columns", 0), "count"));
	CHECK(num(item(row, "columns", 1), "count") == 12);
	CHECK(is_null(item(row, "columns", 2), "count"));
	CHECK(is_null(item(row, "columns", 2), "share"));
	row = item(question(doc, "grid"), "rows", 1);
	CHECK(num(item(row, "columns", 0), "count") == 12);
	CHECK(is_null(item(doc, "days", 1), "count"));
	CHECK(is_null(item(doc, "days", 2), "count"));
	CHECK(num(item(doc, "days", 0), "count") == 30);
	cJSON_Delete(doc);
	sums_free(&s);

	/* Fewer respondents than k: the document says so, nothing else. */
	sums_add(&s, 'n', "", "", "", 4);
	sums_add(&s, 'v', "color", "", "a", 4);
	doc = build(&s, 5, NULL, NULL);
	CHECK(cJSON_IsTrue(cJSON_GetObjectItem(doc, "suppressed")));
	CHECK(cJSON_IsTrue(cJSON_GetObjectItem(doc, "too_few_respondents")));
	CHECK(is_null(doc, "respondents"));
	CHECK(cJSON_GetObjectItem(doc, "questions") == NULL);
	CHECK(cJSON_GetObjectItem(doc, "days") == NULL);
	cJSON_Delete(doc);
	doc = build(&s, 0, NULL, NULL);
	CHECK(num(doc, "respondents") == 4);
	cJSON_Delete(doc);
	sums_free(&s);
}

/* A small deterministic generator (xorshift), so failures repeat. */
static unsigned long long	rng_state = 88172645463325252ULL;

static int
rnd(int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return ((int)(rng_state % (unsigned long long)n));
}

/*
 * What a reader can recompute from a published cross-table: any row,
 * column or margin equation with exactly one unknown, repeated until
 * nothing more follows.  Returns how many hidden cells were recovered.
 */
static int
recover(cJSON *x, const long long *truth, int na, int nb, int k)
{
	long long	v[64], known[64];	/* cells, rows, columns, G */
	int		eq[16][16], neq[16], nq, i, j, e, u, unk, solved;
	int		rt = na * nb, ct = rt + na, g = ct + nb;
	cJSON		*row, *c;
	long long	sum, hidden_sum;

	for (i = 0; i < na; i++) {
		row = item(x, "rows", i);
		for (j = 0; j < nb; j++) {
			c = cJSON_GetArrayItem(cJSON_GetObjectItem(row,
			    "counts"), j);
			known[i * nb + j] = !cJSON_IsNull(c);
			v[i * nb + j] = known[i * nb + j] ?
			    (long long)c->valuedouble : 0;
			/* Published cells are true; every small one hidden. */
			if (known[i * nb + j])
				CHECK(v[i * nb + j] == truth[i * nb + j]);
			if (truth[i * nb + j] > 0 && truth[i * nb + j] < k)
				CHECK(!known[i * nb + j]);
		}
		known[rt + i] = !is_null(row, "total");
		v[rt + i] = (long long)num(row, "total");
	}
	for (j = 0; j < nb; j++) {
		known[ct + j] = !is_null(item(x, "columns", j), "total");
		v[ct + j] = (long long)num(item(x, "columns", j), "total");
	}
	known[g] = !is_null(x, "total");
	v[g] = (long long)num(x, "total");
	/* Equations: the members, the total last. */
	nq = 0;
	for (i = 0; i < na; i++, nq++) {
		for (neq[nq] = 0, j = 0; j < nb; j++)
			eq[nq][neq[nq]++] = i * nb + j;
		eq[nq][neq[nq]++] = rt + i;
	}
	for (j = 0; j < nb; j++, nq++) {
		for (neq[nq] = 0, i = 0; i < na; i++)
			eq[nq][neq[nq]++] = i * nb + j;
		eq[nq][neq[nq]++] = ct + j;
	}
	for (neq[nq] = 0, i = 0; i < na; i++)
		eq[nq][neq[nq]++] = rt + i;
	eq[nq][neq[nq]++] = g;
	nq++;
	for (neq[nq] = 0, j = 0; j < nb; j++)
		eq[nq][neq[nq]++] = ct + j;
	eq[nq][neq[nq]++] = g;
	nq++;
	/* Hidden cells under a published total add up to at least k. */
	for (e = 0; e < nq; e++) {
		u = eq[e][neq[e] - 1];
		if (!known[u])
			continue;
		for (hidden_sum = 0, i = 0; i < neq[e] - 1; i++) {
			if (!known[eq[e][i]])
				hidden_sum += eq[e][i] < rt ? truth[eq[e][i]] :
				    0;
		}
		CHECK(hidden_sum == 0 || hidden_sum >= k || e >= na + nb);
	}
	solved = 0;
	do {
		for (e = 0; e < nq; e++) {
			for (unk = -1, u = 0, sum = 0, i = 0; i < neq[e]; i++) {
				j = eq[e][i];
				if (!known[j]) {
					unk = j;
					u++;
				} else {
					sum += i == neq[e] - 1 ? -v[j] : v[j];
				}
			}
			if (u != 1)
				continue;
			v[unk] = unk == eq[e][neq[e] - 1] ? sum : -sum;
			known[unk] = 1;
			if (unk < rt)
				solved++;
			break;
		}
	} while (e < nq);
	return (solved);
}

static void
crosstab_table(struct sums *s, const long long *t, int na, int nb)
{
	int	i, j;

	sums_free(s);
	sums_add(s, 'n', "", "", "", 1000);
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++) {
			if (t[i * nb + j] != 0)
				sums_add(s, 'x', "", abc[i].value,
				    xyz[j].value, t[i * nb + j]);
		}
	}
}

static void
suppress_crosstab(void)
{
	struct sums	s = { 0 };
	cJSON		*doc, *x;
	long long	t[12] = {
		2, 10, 10, 0,
		10, 10, 10, 0,
		10, 10, 10, 0,
	};
	int		i, round, hidden, bad;

	/* (a,x) = 2 hides (a,y) for its row and (b,x) for its column;
	 * then column y has one unknown, so (b,y) goes too. */
	crosstab_table(&s, t, 3, 4);
	doc = build(&s, 5, "color", "size");
	x = cJSON_GetObjectItem(doc, "crosstab");
	CHECK(cJSON_IsNull(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    item(x, "rows", 0), "counts"), 0)));
	CHECK(cJSON_IsNull(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    item(x, "rows", 0), "counts"), 1)));
	CHECK(cJSON_IsNull(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    item(x, "rows", 1), "counts"), 0)));
	CHECK(cJSON_IsNull(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    item(x, "rows", 1), "counts"), 1)));
	CHECK(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    item(x, "rows", 2), "counts"), 0)->valuedouble == 10);
	CHECK(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    item(x, "rows", 0), "counts"), 3)->valuedouble == 0);
	CHECK(num(item(x, "rows", 0), "total") == 22);
	CHECK(num(x, "total") == 82);
	CHECK(recover(x, t, 3, 4, 5) == 0);
	cJSON_Delete(doc);

	/* Random sparse tables with many small cells. */
	bad = 0;
	for (round = 0; round < 300; round++) {
		for (i = 0; i < 12; i++)
			t[i] = rnd(3) == 0 ? 0 : rnd(4) == 0 ? 5 + rnd(30) :
			    1 + rnd(6);
		crosstab_table(&s, t, 3, 4);
		doc = build(&s, 5, "color", "size");
		x = cJSON_GetObjectItem(doc, "crosstab");
		for (hidden = i = 0; i < 12; i++)
			hidden += t[i] > 0 && t[i] < 5;
		if (hidden > 0)
			CHECK(cJSON_IsTrue(cJSON_GetObjectItem(doc,
			    "suppressed")));
		bad += recover(x, t, 3, 4, 5);
		cJSON_Delete(doc);
	}
	CHECK(bad == 0);
	sums_free(&s);
}

/* The raw responses of the random test, kept as they were given. */
struct raw {
	long long	resp, seen[NQ], answered[NQ];
	long long	color[3], pets[3], size[4], grid[2][3], first[3];
	long long	ranksum[3], nranked[3], cross[3][3], days[5];
	double		stars[2000], age[2000];
	int		nstars, nage;
};

static int
dbl_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* Mean, median and sample sd, the textbook way from the raw values. */
static void
direct_stats(double *v, int n, double *mean, double *median, double *sd)
{
	long double	sum = 0, ss = 0;
	int		i;

	for (i = 0; i < n; i++)
		sum += v[i];
	*mean = (double)(sum / n);
	for (i = 0; i < n; i++)
		ss += (v[i] - sum / n) * (v[i] - sum / n);
	*sd = n > 1 ? (double)sqrtl(ss / (n - 1)) : NAN;
	qsort(v, n, sizeof(*v), dbl_cmp);
	*median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static cJSON *
random_response(struct raw *r, unsigned char *seen, char *day)
{
	cJSON		*a, *arr, *o;
	int		i, j, p[3], c, ca = -1, cb[3] = { 0 };
	double		d;

	a = cJSON_CreateObject();
	for (i = 0; i < NQ; i++)
		seen[i] = rnd(10) < 8;
	r->resp++;
	j = rnd(5);
	r->days[j]++;
	snprintf(day, 11, "2026-05-%02d", j + 1);
	for (i = 0; i < NQ; i++)
		r->seen[i] += seen[i];
	/* Unseen questions still get answers: results_tallies drops them. */
	if (rnd(4)) {
		ca = rnd(3);
		cJSON_AddStringToObject(a, "color", abc[ca].value);
		if (seen[Q_COLOR]) {
			r->color[ca]++;
			r->answered[Q_COLOR]++;
		} else {
			ca = -1;
		}
	}
	arr = cJSON_AddArrayToObject(a, "pets");
	for (c = j = 0; j < 3; j++) {
		if (rnd(2)) {
			cJSON_AddItemToArray(arr,
			    cJSON_CreateString(abc[j].value));
			cb[j] = seen[Q_PETS];
			r->pets[j] += seen[Q_PETS];
			c++;
		}
	}
	r->answered[Q_PETS] += c > 0 && seen[Q_PETS];
	if (rnd(5)) {
		c = 1 + rnd(5);
		cJSON_AddNumberToObject(a, "stars", c);
		if (seen[Q_STARS]) {
			r->stars[r->nstars++] = c;
			r->answered[Q_STARS]++;
		}
	}
	if (rnd(5)) {
		d = (rnd(4001) - 1000) / 8.0;
		if (rnd(10) == 0)
			d = 12;
		cJSON_AddNumberToObject(a, "age", d);
		if (seen[Q_AGE]) {
			r->age[r->nage++] = d;
			r->answered[Q_AGE]++;
		}
	}
	if (rnd(3)) {
		p[0] = 0, p[1] = 1, p[2] = 2;
		for (j = 2; j > 0; j--) {
			i = rnd(j + 1);
			c = p[i], p[i] = p[j], p[j] = c;
		}
		arr = cJSON_AddArrayToObject(a, "order");
		for (j = 0; j < 3; j++) {
			cJSON_AddItemToArray(arr,
			    cJSON_CreateString(abc[p[j]].value));
			if (seen[Q_ORDER]) {
				r->ranksum[p[j]] += j + 1;
				r->nranked[p[j]]++;
			}
		}
		if (seen[Q_ORDER]) {
			r->first[p[0]]++;
			r->answered[Q_ORDER]++;
		}
	}
	o = cJSON_AddObjectToObject(a, "grid");
	for (c = j = 0; j < 2; j++) {
		if (rnd(3)) {
			i = rnd(3);
			cJSON_AddStringToObject(o, rows2[j].value,
			    abc[i].value);
			r->grid[j][i] += seen[Q_GRID];
			c++;
		}
	}
	r->answered[Q_GRID] += c > 0 && seen[Q_GRID];
	if (rnd(2)) {
		cJSON_AddStringToObject(a, "note", "Mehr Bänke, \"bitte\"");
		r->answered[Q_NOTE] += seen[Q_NOTE];
	}
	if (rnd(2)) {
		i = rnd(4);
		cJSON_AddStringToObject(a, "size", xyz[i].value);
		r->size[i] += seen[Q_SIZE];
		r->answered[Q_SIZE] += seen[Q_SIZE];
	}
	for (j = 0; ca >= 0 && j < 3; j++)
		r->cross[ca][j] += cb[j];
	return (a);
}

static void
check_options(cJSON *q, const long long *want, int n, long long seen)
{
	int	i;

	for (i = 0; i < n; i++) {
		CHECK(num(item(q, "options", i), "count") == want[i]);
		CHECK(near(num(item(q, "options", i), "share"),
		    (double)want[i] / seen));
	}
}

static void
check_stats(cJSON *q, double *v, int n)
{
	double	mean, median, sd;

	direct_stats(v, n, &mean, &median, &sd);
	CHECK(num(q, "n") == n);
	CHECK(near(num(q, "mean"), mean));
	CHECK(num(q, "median") == median);
	CHECK(near(num(q, "sd"), sd));
	CHECK(num(q, "min") == v[0] && num(q, "max") == v[n - 1]);
}

static void
random_responses(void)
{
	static struct raw	r;
	struct sums		s = { 0 };
	struct strbuf		out;
	unsigned char		seen[NQ];
	char			day[16];
	cJSON			*a, *doc, *q, *row, *x;
	int			i, j;

	memset(&r, 0, sizeof(r));
	strbuf_init(&out, 256);
	for (i = 0; i < 1500; i++) {
		a = random_response(&r, seen, day);
		strbuf_reset(&out);
		results_tallies(&def, a, seen, "color", "pets", &out);
		sums_keys(&s, out.data, day);
		cJSON_Delete(a);
	}
	strbuf_free(&out);
	doc = build(&s, 0, "color", "pets");
	CHECK(num(doc, "respondents") == r.resp);
	for (i = 0; i < NQ; i++) {
		q = question(doc, qs[i].name);
		CHECK(num(q, "seen") == r.seen[i]);
		CHECK(num(q, "answered") == r.answered[i]);
	}
	check_options(question(doc, "color"), r.color, 3, r.seen[Q_COLOR]);
	check_options(question(doc, "pets"), r.pets, 3, r.seen[Q_PETS]);
	check_options(question(doc, "size"), r.size, 4, r.seen[Q_SIZE]);
	check_stats(question(doc, "stars"), r.stars, r.nstars);
	check_stats(question(doc, "age"), r.age, r.nage);
	q = question(doc, "order");
	for (i = 0; i < 3; i++) {
		CHECK(num(item(q, "choices", i), "first") == r.first[i]);
		CHECK(near(num(item(q, "choices", i), "mean_rank"),
		    (double)r.ranksum[i] / r.nranked[i]));
	}
	q = question(doc, "grid");
	for (i = 0; i < 2; i++) {
		row = item(q, "rows", i);
		for (j = 0; j < 3; j++)
			CHECK(num(item(row, "columns", j), "count") ==
			    r.grid[i][j]);
	}
	x = cJSON_GetObjectItem(doc, "crosstab");
	for (i = 0; i < 3; i++) {
		row = item(x, "rows", i);
		for (j = 0; j < 3; j++)
			CHECK(cJSON_GetArrayItem(cJSON_GetObjectItem(row,
			    "counts"), j)->valuedouble == r.cross[i][j]);
	}
	for (i = 0; i < 5; i++)
		CHECK(num(item(doc, "days", i), "count") == r.days[i]);
	cJSON_Delete(doc);

	/* Published: every visible count still true, none below k. */
	doc = build(&s, 5, "color", "pets");
	CHECK(num(doc, "respondents") == r.resp);
	q = question(doc, "color");
	for (i = 0; i < 3; i++) {
		x = cJSON_GetObjectItem(item(q, "options", i), "count");
		CHECK(cJSON_IsNull(x) || (x->valuedouble == r.color[i] &&
		    (r.color[i] == 0 || r.color[i] >= 5)));
	}
	CHECK(is_null(question(doc, "age"), "min"));
	cJSON_Delete(doc);
	sums_free(&s);
}

/* The summary line of a question in a hand-made results document. */
static const cJSON *
line(const cJSON *list, const char *name)
{
	const cJSON	*e;

	cJSON_ArrayForEach(e, list) {
		if (strcmp(json_str(e, "question"), name) == 0)
			return (e);
	}
	return (NULL);
}

static void
summary_by_hand(void)
{
	const char	*doc = "{\"k\":5,\"questions\":["
	    /* 2 hidden of 15: 7 beats them. */
	    "{\"name\":\"a\",\"type\":\"radiogroup\",\"title\":\"A\","
	    "\"answered\":15,\"options\":[{\"value\":\"x\",\"count\":7,"
	    "\"share\":0.46},{\"value\":\"y\",\"count\":6},"
	    "{\"value\":\"z\",\"count\":null}]},"
	    /* 9 hidden of 20 could be one option above 6. */
	    "{\"name\":\"b\",\"type\":\"dropdown\",\"title\":\"B\","
	    "\"answered\":20,\"options\":[{\"value\":\"x\",\"count\":6},"
	    "{\"value\":\"y\",\"count\":5},{\"value\":\"z\",\"count\":null},"
	    "{\"value\":\"w\",\"count\":null}]},"
	    /* A tie names none. */
	    "{\"name\":\"c\",\"type\":\"radiogroup\",\"title\":\"C\","
	    "\"answered\":10,\"options\":[{\"value\":\"x\",\"count\":5},"
	    "{\"value\":\"y\",\"count\":5}]},"
	    /* A checkbox's hidden options are below k. */
	    "{\"name\":\"d\",\"type\":\"checkbox\",\"title\":\"D\","
	    "\"answered\":30,\"options\":[{\"value\":\"x\",\"count\":5},"
	    "{\"value\":\"y\",\"count\":null}]},"
	    "{\"name\":\"e\",\"type\":\"rating\",\"title\":\"E\","
	    "\"answered\":15,\"mean\":3.5,\"options\":[]},"
	    "{\"name\":\"f\",\"type\":\"number\",\"title\":\"F\","
	    "\"answered\":3,\"mean\":null},"
	    "{\"name\":\"g\",\"type\":\"comment\",\"title\":\"G\"},"
	    "{\"name\":\"h\",\"type\":\"matrix\",\"title\":\"H\"}]}";
	cJSON		*d, *l;
	const cJSON	*top;

	d = cJSON_Parse(doc);
	l = results_summary(d);
	CHECK(cJSON_GetArraySize(l) == 6);
	top = cJSON_GetObjectItemCaseSensitive(line(l, "a"), "most_chosen");
	CHECK_STR(json_str(top, "value"), "x");
	CHECK(json_num(top, "share") == 0.46);
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(line(l, "b"),
	    "most_chosen")));
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(line(l, "c"),
	    "most_chosen")));
	top = cJSON_GetObjectItemCaseSensitive(line(l, "d"), "most_chosen");
	CHECK_STR(json_str(top, "value"), "x");
	CHECK(json_num(line(l, "e"), "mean") == 3.5);
	CHECK(cJSON_GetObjectItemCaseSensitive(line(l, "e"), "most_chosen") ==
	    NULL);
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(line(l, "f"),
	    "mean")));
	CHECK(line(l, "g") == NULL && line(l, "h") == NULL);
	cJSON_Delete(l);
	cJSON_Delete(d);
}

UNIT_SUITE(results_tests) = {
	{ "results: the tally keys of one response", tally_keys },
	{ "results: choice counts and shares by hand", choices_by_hand },
	{ "results: mean, median, sd by hand", stats_by_hand },
	{ "results: ranking and matrix by hand", ranking_matrix_by_hand },
	{ "results: cross-tabulation and days", crosstab_and_days },
	{ "results: statistics edge cases", stats_edges },
	{ "results: primary and secondary suppression", suppress_options },
	{ "results: statistics of fewer than k", suppress_stats },
	{ "results: matrix rows, days, too few", suppress_matrix_days_whole },
	{ "results: cross-table suppression", suppress_crosstab },
	{ "results: random responses against a direct count",
	    random_responses },
	{ "results: one line per item as published", summary_by_hand },
	{ NULL, NULL }
};
