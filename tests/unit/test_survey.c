/* survey.c: SurveyJS definitions, strictly; compatibility; pseudonyms. */

#include <sodium.h>

#include "mitwirken.h"
#include "unit.h"

static struct survey_def *
parse(const char *json, struct survey_problems *pr)
{
	struct survey_def	*def;
	cJSON			*doc;

	doc = cJSON_Parse(json);
	CHECK(doc != NULL);
	def = survey_parse(doc, pr);
	cJSON_Delete(doc);
	return (def);
}

static int
has_problem(const struct survey_problems *pr, const char *path)
{
	int	i;

	for (i = 0; i < pr->count; i++)
		if (strcmp(pr->items[i].path, path) == 0 &&
		    pr->items[i].reason[0] != '\0')
			return (1);
	return (0);
}

/* The definition is refused, with a problem at path. */
#define REFUSED(json, where) do {					\
	struct survey_problems	pr_;					\
	struct survey_def	*d_ = parse((json), &pr_);		\
	CHECK(d_ == NULL);						\
	if (!has_problem(&pr_, (where))) {				\
		fprintf(stderr, "  %s:%d: no problem at %s (%s %s)\n",	\
		    __FILE__, __LINE__, (where),			\
		    pr_.count ? pr_.items[0].path : "-",		\
		    pr_.count ? pr_.items[0].reason : "-");		\
		unit_failed_checks++;					\
	}								\
	survey_free(d_);						\
} while (0)

/* One page with the given elements. */
#define PAGE(els)	"{\"pages\":[{\"elements\":[" els "]}]}"
#define Q0		"/pages/0/elements/0"
#define Q1		"/pages/0/elements/1"

static const char every_type[] =
    "{\"title\":{\"de\":\"Umfrage\",\"en\":\"Survey\"},\"locale\":\"de\","
    "\"pages\":[{\"name\":\"eins\",\"title\":\"Eins\",\"elements\":["
    "{\"type\":\"radiogroup\",\"name\":\"rad\",\"isRequired\":true,"
    "\"choices\":[\"ja\",{\"value\":\"nein\",\"text\":{\"de\":\"Nein\","
    "\"en\":\"No\"}}]},"
    "{\"type\":\"dropdown\",\"name\":\"drop\",\"choices\":[1,2,3],"
    "\"visibleIf\":\"{rad} = 'ja'\"},"
    "{\"type\":\"checkbox\",\"name\":\"box\",\"choices\":[\"a\",\"b\"]}]},"
    "{\"elements\":["
    "{\"type\":\"rating\",\"name\":\"rate\"},"
    "{\"type\":\"rating\",\"name\":\"rate2\",\"rateMin\":0,\"rateMax\":1,"
    "\"rateStep\":0.1},"
    "{\"type\":\"text\",\"name\":\"txt\",\"maxLength\":20},"
    "{\"type\":\"text\",\"name\":\"num\",\"inputType\":\"number\","
    "\"min\":0,\"max\":10},"
    "{\"type\":\"comment\",\"name\":\"com\",\"description\":\"frei\"},"
    "{\"type\":\"ranking\",\"name\":\"rank\",\"choices\":[\"x\",\"y\","
    "\"z\"]},"
    "{\"type\":\"matrix\",\"name\":\"mat\",\"rows\":[\"r1\",\"r2\"],"
    "\"columns\":[{\"value\":1,\"text\":\"gut\"},2]}]}]}";

static void
valid_every_type(void)
{
	struct survey_problems	 pr;
	struct survey_def	*def;
	const struct survey_question *q;

	def = parse(every_type, &pr);
	CHECK(def != NULL);
	if (def == NULL)
		return;
	CHECK(pr.count == 0);
	CHECK(def->npages == 2 && def->nquestions == 10);
	CHECK_STR(def->title.de, "Umfrage");
	CHECK_STR(def->title.en, "Survey");
	CHECK_STR(def->pages[0].name, "eins");
	CHECK_STR(def->pages[1].name, "page2");
	CHECK(def->pages[1].first == 3 && def->pages[1].count == 7);
	q = &def->questions[0];
	CHECK(q->type == SQ_RADIOGROUP && q->required && q->nchoices == 2);
	CHECK_STR(q->title.de, "rad");		/* the name when absent */
	CHECK_STR(q->choices[1].text.en, "No");
	CHECK_STR(q->choices[0].text.de, "ja");
	CHECK(!q->choices[0].numeric);
	q = &def->questions[1];
	CHECK(q->visible_if != NULL && q->choices[2].numeric);
	CHECK_STR(q->choices[2].value, "3");
	/* A rating without values: 1..5 by 1, numeric. */
	q = &def->questions[3];
	CHECK(q->type == SQ_RATING && q->nchoices == 5);
	CHECK(q->choices[0].numeric);
	CHECK_STR(q->choices[0].value, "1");
	CHECK_STR(q->choices[4].value, "5");
	q = &def->questions[4];
	CHECK(q->nchoices == 11);
	CHECK_STR(q->choices[3].value, "0.3");
	CHECK(def->questions[5].type == SQ_TEXT &&
	    def->questions[5].max_length == 20);
	q = &def->questions[6];
	CHECK(q->type == SQ_NUMBER && q->has_min && q->has_max && q->max == 10);
	CHECK(def->questions[7].type == SQ_COMMENT &&
	    def->questions[7].max_length == 5000);
	CHECK(def->questions[8].type == SQ_RANKING);
	q = &def->questions[9];
	CHECK(q->type == SQ_MATRIX && q->nrows == 2 && q->nchoices == 2);
	CHECK_STR(q->choices[0].text.de, "gut");
	CHECK(survey_find(def, "MAT") == 9);
	CHECK(survey_find(def, "nope") == -1);
	survey_free(def);

	def = parse(PAGE("{\"type\":\"text\",\"name\":\"t\"}"), &pr);
	CHECK(def != NULL && def->questions[0].max_length == 500);
	survey_free(def);
}

static void
invalid_structure(void)
{
	REFUSED("[]", "");
	REFUSED("{\"pages\":[]}", "/pages");
	REFUSED("{\"pages\":[{\"elements\":[]}]}", "/pages/0/elements");
	REFUSED("{\"pages\":[{\"elements\":[{\"type\":\"text\",\"name\":\"a\"}"
	    "],\"visibleIf\":\"true\"}]}", "/pages/0/visibleIf");
	REFUSED("{\"pages\":[{\"elements\":[{\"type\":\"text\",\"name\":\"a\"}"
	    "]}],\"showProgressBar\":true}", "/showProgressBar");
	REFUSED("{\"locale\":\"fr\",\"pages\":[{\"elements\":[{\"type\":"
	    "\"text\",\"name\":\"a\"}]}]}", "/locale");
	REFUSED(PAGE("{\"type\":\"boolean\",\"name\":\"a\"}"), Q0 "/type");
	REFUSED(PAGE("{\"name\":\"a\"}"), Q0 "/type");
	REFUSED(PAGE("{\"type\":\"html\",\"name\":\"a\"}"), Q0 "/type");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"colCount\":2}"),
	    Q0 "/colCount");
	REFUSED(PAGE("{\"type\":\"comment\",\"name\":\"a\",\"choices\":[1]}"),
	    Q0 "/choices");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"isRequired\":1}"),
	    Q0 "/isRequired");
	REFUSED(PAGE("\"text\""), Q0);
}

static void
invalid_names(void)
{
	char	json[512], name[70];

	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\"},"
	    "{\"type\":\"text\",\"name\":\"A\"}"), Q1 "/name");
	REFUSED(PAGE("{\"type\":\"text\"}"), Q0 "/name");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"1a\"}"), Q0 "/name");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a b\"}"), Q0 "/name");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"_a\"}"), Q0 "/name");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"\xc3\xa4\"}"), Q0 "/name");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a.b\"}"), Q0 "/name");
	/* 64 characters are fine, 65 are not. */
	memset(name, 'a', 64);
	name[64] = '\0';
	(void)snprintf(json, sizeof(json),
	    PAGE("{\"type\":\"text\",\"name\":\"%s\"}"), name);
	{
		struct survey_problems	 pr;
		struct survey_def	*def = parse(json, &pr);

		CHECK(def != NULL);
		survey_free(def);
	}
	(void)snprintf(json, sizeof(json),
	    PAGE("{\"type\":\"text\",\"name\":\"%sb\"}"), name);
	REFUSED(json, Q0 "/name");
}

static void
invalid_choices(void)
{
	REFUSED(PAGE("{\"type\":\"radiogroup\",\"name\":\"a\",\"choices\":[]}"),
	    Q0 "/choices");
	REFUSED(PAGE("{\"type\":\"checkbox\",\"name\":\"a\"}"), Q0 "/choices");
	REFUSED(PAGE("{\"type\":\"dropdown\",\"name\":\"a\",\"choices\":"
	    "[\"x\",\"X\"]}"), Q0 "/choices/1");
	REFUSED(PAGE("{\"type\":\"dropdown\",\"name\":\"a\",\"choices\":"
	    "[1,\"1\"]}"), Q0 "/choices/1");
	REFUSED(PAGE("{\"type\":\"dropdown\",\"name\":\"a\",\"choices\":"
	    "[\"x\",\"\"]}"), Q0 "/choices/1");
	REFUSED(PAGE("{\"type\":\"dropdown\",\"name\":\"a\",\"choices\":"
	    "[\"x\",{\"text\":\"y\"}]}"), Q0 "/choices/1/value");
	REFUSED(PAGE("{\"type\":\"dropdown\",\"name\":\"a\",\"choices\":"
	    "[\"x\",{\"value\":\"y\",\"visibleIf\":\"true\"}]}"),
	    Q0 "/choices/1/visibleIf");
	REFUSED(PAGE("{\"type\":\"dropdown\",\"name\":\"a\",\"choices\":"
	    "[true]}"), Q0 "/choices/0");
	REFUSED(PAGE("{\"type\":\"dropdown\",\"name\":\"a\",\"choices\":"
	    "[\"x\",{\"value\":\"y\",\"text\":{\"fr\":\"y\"}}]}"),
	    Q0 "/choices/1/text/fr");
	REFUSED(PAGE("{\"type\":\"matrix\",\"name\":\"a\",\"columns\":[1]}"),
	    Q0 "/rows");
	REFUSED(PAGE("{\"type\":\"matrix\",\"name\":\"a\",\"rows\":[\"r\"],"
	    "\"columns\":[]}"), Q0 "/columns");
}

static void
too_many(void)
{
	struct strbuf	sb;
	int		i;

	strbuf_init(&sb, 1024);
	strbuf_appends(&sb, PAGE("{\"type\":\"dropdown\",\"name\":\"a\","
	    "\"choices\":[0"));
	sb.len -= strlen("]}]}");
	sb.data[sb.len] = '\0';
	for (i = 1; i <= SURVEY_CHOICES_MAX; i++)
		strbuf_appendf(&sb, ",%d", i);
	strbuf_appends(&sb, "]}]}]}");
	REFUSED(sb.data, Q0 "/choices");

	strbuf_reset(&sb);
	strbuf_appends(&sb, "{\"pages\":[{\"elements\":[");
	for (i = 0; i <= SURVEY_QUESTIONS_MAX; i++)
		strbuf_appendf(&sb, "%s{\"type\":\"text\",\"name\":\"q%d\"}",
		    i ? "," : "", i);
	strbuf_appends(&sb, "]}]}");
	REFUSED(sb.data, "/pages");

	strbuf_reset(&sb);
	strbuf_appends(&sb, "{\"pages\":[");
	for (i = 0; i <= SURVEY_PAGES_MAX; i++)
		strbuf_appendf(&sb, "%s{\"elements\":[{\"type\":\"text\","
		    "\"name\":\"q%d\"}]}", i ? "," : "", i);
	strbuf_appends(&sb, "]}");
	REFUSED(sb.data, "/pages");
	strbuf_free(&sb);
}

static void
invalid_numbers(void)
{
	REFUSED(PAGE("{\"type\":\"rating\",\"name\":\"a\",\"rateMin\":5,"
	    "\"rateMax\":1}"), Q0 "/rateMax");
	REFUSED(PAGE("{\"type\":\"rating\",\"name\":\"a\",\"rateMin\":1,"
	    "\"rateMax\":101}"), Q0 "/rateMax");
	REFUSED(PAGE("{\"type\":\"rating\",\"name\":\"a\",\"rateStep\":0}"),
	    Q0 "/rateStep");
	REFUSED(PAGE("{\"type\":\"rating\",\"name\":\"a\",\"rateMin\":\"1\"}"),
	    Q0 "/rateMin");
	REFUSED(PAGE("{\"type\":\"rating\",\"name\":\"a\",\"rateValues\":[]}"),
	    Q0 "/rateValues");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"inputType\":"
	    "\"number\",\"min\":5,\"max\":1}"), Q0 "/max");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"min\":5}"),
	    Q0 "/min");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"inputType\":"
	    "\"email\"}"), Q0 "/inputType");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"maxLength\":0}"),
	    Q0 "/maxLength");
	REFUSED(PAGE("{\"type\":\"comment\",\"name\":\"a\",\"maxLength\":"
	    "5001}"), Q0 "/maxLength");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"maxLength\":1.5}"),
	    Q0 "/maxLength");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"inputType\":"
	    "\"number\",\"maxLength\":5}"), Q0 "/maxLength");
}

static void
invalid_texts(void)
{
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"title\":5}"),
	    Q0 "/title");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"title\":{}}"),
	    Q0 "/title");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"title\":"
	    "{\"de\":1}}"), Q0 "/title/de");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"title\":"
	    "{\"it\":\"x\"}}"), Q0 "/title/it");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"title\":"
	    "\"a\\u0001b\"}"), Q0 "/title");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"description\":"
	    "{\"en\":\"a\\u001bb\"}}"), Q0 "/description/en");
	REFUSED("{\"title\":[],\"pages\":[{\"elements\":[{\"type\":\"text\","
	    "\"name\":\"a\"}]}]}", "/title");
}

static void
invalid_conditions(void)
{
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\"},{\"type\":\"text\","
	    "\"name\":\"b\",\"visibleIf\":\"{c} = 1\"}"), Q1 "/visibleIf");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"visibleIf\":"
	    "\"{A} notempty\"}"), Q0 "/visibleIf");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"visibleIf\":"
	    "\"{b} = 'x\"},{\"type\":\"text\",\"name\":\"b\"}"),
	    Q0 "/visibleIf");
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"visibleIf\":1}"),
	    Q0 "/visibleIf");
	/* A 3-cycle: a -> b -> c -> a. */
	REFUSED(PAGE("{\"type\":\"text\",\"name\":\"a\",\"visibleIf\":"
	    "\"{b} = 1\"},{\"type\":\"text\",\"name\":\"b\",\"visibleIf\":"
	    "\"{c} = 1\"},{\"type\":\"text\",\"name\":\"c\",\"visibleIf\":"
	    "\"{a} = 1\"}"), "/pages/0/elements/2/visibleIf");
	/* A 2-cycle across pages. */
	REFUSED("{\"pages\":[{\"elements\":[{\"type\":\"text\",\"name\":\"a\","
	    "\"visibleIf\":\"{b} empty\"}]},{\"elements\":[{\"type\":\"text\","
	    "\"name\":\"b\",\"visibleIf\":\"{a} empty\"}]}]}",
	    "/pages/1/elements/0/visibleIf");
}

static void
problems_overflow(void)
{
	struct survey_problems	pr;
	int			i;

	memset(&pr, 0, sizeof(pr));
	for (i = 0; i < SURVEY_PROBLEMS_MAX + 5; i++)
		survey_problem(&pr, "/x", "problem %d", i);
	CHECK(pr.count == SURVEY_PROBLEMS_MAX && pr.more == 5);
	CHECK_STR(pr.items[3].reason, "problem 3");
}

static const char base_def[] =
    PAGE("{\"type\":\"radiogroup\",\"name\":\"a\",\"choices\":[\"x\",\"y\"]},"
    "{\"type\":\"matrix\",\"name\":\"m\",\"rows\":[\"r1\",\"r2\"],"
    "\"columns\":[1,2]},{\"type\":\"text\",\"name\":\"t\"}");

static void
compatible(void)
{
	struct survey_problems	 pr;
	struct survey_def	*old, *new;

	old = parse(base_def, &pr);
	CHECK(old != NULL);
	if (old == NULL)
		return;
#define COMPAT(json, ok, where) do {					\
	new = parse((json), &pr);					\
	CHECK(new != NULL);						\
	if (new != NULL) {						\
		CHECK(survey_compatible(old, new, &pr) == (ok));	\
		if (!(ok))						\
			CHECK(has_problem(&pr, (where)));		\
	}								\
	survey_free(new);						\
} while (0)
	/* New wording, a new choice, a new question, another order. */
	COMPAT(PAGE("{\"type\":\"text\",\"name\":\"neu\"},"
	    "{\"type\":\"radiogroup\",\"name\":\"a\",\"title\":\"Neu\","
	    "\"choices\":[\"y\",\"x\",\"z\"]},"
	    "{\"type\":\"matrix\",\"name\":\"m\","
	    "\"rows\":[\"r1\",\"r2\",\"r3\"],"
	    "\"columns\":[{\"value\":1,\"text\":\"eins\"},2]},"
	    "{\"type\":\"text\",\"name\":\"t\",\"isRequired\":true}"), 1, "");
	COMPAT(PAGE("{\"type\":\"radiogroup\",\"name\":\"a\",\"choices\":"
	    "[\"x\"]},{\"type\":\"matrix\",\"name\":\"m\",\"rows\":[\"r1\","
	    "\"r2\"],\"columns\":[1,2]},{\"type\":\"text\",\"name\":\"t\"}"),
	    0, Q0 "/choices");
	COMPAT(PAGE("{\"type\":\"radiogroup\",\"name\":\"a\",\"choices\":"
	    "[\"x\",\"y\"]},{\"type\":\"matrix\",\"name\":\"m\",\"rows\":"
	    "[\"r1\"],\"columns\":[1,2]},{\"type\":\"text\",\"name\":\"t\"}"),
	    0, Q1 "/rows");
	COMPAT(PAGE("{\"type\":\"radiogroup\",\"name\":\"a\",\"choices\":"
	    "[\"x\",\"y\"]},{\"type\":\"matrix\",\"name\":\"m\",\"rows\":"
	    "[\"r1\",\"r2\"],\"columns\":[1,\"2\"]},{\"type\":\"text\","
	    "\"name\":\"t\"}"), 0, Q1 "/columns");
	COMPAT(PAGE("{\"type\":\"dropdown\",\"name\":\"a\",\"choices\":"
	    "[\"x\",\"y\"]},{\"type\":\"matrix\",\"name\":\"m\",\"rows\":"
	    "[\"r1\",\"r2\"],\"columns\":[1,2]},{\"type\":\"text\","
	    "\"name\":\"t\"}"), 0, Q0 "/type");
	/* Renamed, even only in case: stored answers use the old name. */
	COMPAT(PAGE("{\"type\":\"radiogroup\",\"name\":\"a\",\"choices\":"
	    "[\"x\",\"y\"]},{\"type\":\"matrix\",\"name\":\"m\",\"rows\":"
	    "[\"r1\",\"r2\"],\"columns\":[1,2]},{\"type\":\"text\","
	    "\"name\":\"T\"}"), 0, "/pages/0/elements/2");
	COMPAT(PAGE("{\"type\":\"radiogroup\",\"name\":\"a\",\"choices\":"
	    "[\"x\",\"y\"]},{\"type\":\"matrix\",\"name\":\"m\",\"rows\":"
	    "[\"r1\",\"r2\"],\"columns\":[1,2]},{\"type\":\"text\","
	    "\"name\":\"t\",\"inputType\":\"number\"}"), 0,
	    "/pages/0/elements/2/type");
#undef COMPAT
	survey_free(old);
}

static void
respondent(void)
{
	struct keys		*k = unit_keys();
	unsigned char		 a[SURVEY_RESPONDENT_LEN], b[32], want[32];
	const char		*msg = "42:a:1001";

	survey_respondent(k, 42, 'a', "1001", a);
	crypto_auth_hmacsha256(want, (const unsigned char *)msg, strlen(msg),
	    k->survey);
	CHECK(memcmp(a, want, 32) == 0);
	survey_respondent(k, 43, 'a', "1001", b);
	CHECK(memcmp(a, b, 32) != 0);	/* unlinkable across surveys */
	survey_respondent(k, 42, 'c', "1001", b);
	CHECK(memcmp(a, b, 32) != 0);
}

UNIT_SUITE(survey_tests) = {
	{ "survey: every question type", valid_every_type },
	{ "survey: structure refused", invalid_structure },
	{ "survey: names", invalid_names },
	{ "survey: choices", invalid_choices },
	{ "survey: limits", too_many },
	{ "survey: numbers", invalid_numbers },
	{ "survey: localizable texts", invalid_texts },
	{ "survey: visibleIf", invalid_conditions },
	{ "survey: problem list overflow", problems_overflow },
	{ "survey: compatible edits", compatible },
	{ "survey: respondent pseudonym", respondent },
	{ NULL, NULL }
};
