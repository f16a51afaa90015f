/* expr.c: SurveyJS visibleIf expressions, parsed and evaluated. */

#include <stdlib.h>

#include "mitwirken.h"
#include "unit.h"

/* The expression over the answers (JSON); -1 if it does not parse. */
static int
run(const char *src, const char *answers)
{
	struct expr	*e;
	cJSON		*a;
	char		 err[128];
	int		 r;

	if ((e = expr_parse(src, err, sizeof(err))) == NULL)
		return (-1);
	a = cJSON_Parse(answers);
	CHECK(a != NULL);
	r = expr_eval(e, a);
	cJSON_Delete(a);
	expr_free(e);
	return (r);
}

static void
comparisons(void)
{
	CHECK(run("{a} = 1", "{\"a\":1}") == 1);
	CHECK(run("{a} == 1", "{\"a\":2}") == 0);
	CHECK(run("{a} equal 'x'", "{\"a\":\"x\"}") == 1);
	CHECK(run("{a} != 1", "{\"a\":2}") == 1);
	CHECK(run("{a} <> 1", "{\"a\":1}") == 0);
	CHECK(run("{a} notequal 1", "{}") == 1);
	CHECK(run("{a} < 3", "{\"a\":2}") == 1);
	CHECK(run("{a} less 3", "{\"a\":3}") == 0);
	CHECK(run("{a} <= 3", "{\"a\":3}") == 1);
	CHECK(run("{a} lessorequal 2", "{\"a\":3}") == 0);
	CHECK(run("{a} > 3", "{\"a\":4}") == 1);
	CHECK(run("{a} greater 3", "{\"a\":3}") == 0);
	CHECK(run("{a} >= 3", "{\"a\":3}") == 1);
	CHECK(run("{a} greaterorequal 3.5", "{\"a\":3}") == 0);
	CHECK(run("{a} > -1", "{\"a\":0}") == 1);
	CHECK(run("{a} = 0x10", "{\"a\":16}") == 1);
}

/* SurveyJS: names without case, strings trimmed and without case. */
static void
survey_core_semantics(void)
{
	CHECK(run("{A} = 1", "{\"a\":1}") == 1);
	CHECK(run("{a} = 'JA'", "{\"a\":\" ja \"}") == 1);
	CHECK(run("{a} = 'ÜBER'", "{\"a\":\"über\"}") == 1);
	CHECK(run("{a} contains 'ö'", "{\"a\":\"GRÖSSE\"}") == 1);
	CHECK(run("{a} = 'STRASSE'", "{\"a\":\"straße\"}") == 0);
	/* A number given as a string is that number. */
	CHECK(run("{a} = 3", "{\"a\":\"3\"}") == 1);
	CHECK(run("{a} > 2", "{\"a\":\"10\"}") == 1);
	CHECK(run("{a} = '3'", "{\"a\":3}") == 1);
	CHECK(run("{a} = 3", "{\"a\":\"3.0\"}") == 1);
	/* Strings compare as strings: "10" < "9". */
	CHECK(run("'10' < '9'", "{}") == 1);
	/* Unanswered: no comparison holds, != does. */
	CHECK(run("{a} = 1", "{}") == 0);
	CHECK(run("{a} < 1", "{}") == 0);
	CHECK(run("{a} > 1", "{}") == 0);
	CHECK(run("{a} != 1", "{}") == 1);
	CHECK(run("{a} = ''", "{}") == 1);
	CHECK(run("{a} empty", "{}") == 1);
	CHECK(run("{a} empty", "{\"a\":\"\"}") == 1);
	CHECK(run("{a} empty", "{\"a\":[]}") == 1);
	CHECK(run("{a} empty", "{\"a\":{}}") == 1);
	CHECK(run("{a} empty", "{\"a\":0}") == 0);
	CHECK(run("{a} notempty", "{\"a\":\"x\"}") == 1);
	CHECK(run("{a} notempty", "{}") == 0);
	/* Arrays compare without order. */
	CHECK(run("{a} = ['y', 'x']", "{\"a\":[\"x\",\"y\"]}") == 1);
	CHECK(run("{a} = [1]", "{\"a\":[\"1\"]}") == 1);
	/* A bare operand is true when == true: 1, "1", true. */
	CHECK(run("{a}", "{\"a\":1}") == 1);
	CHECK(run("{a}", "{\"a\":2}") == 0);
	CHECK(run("{a}", "{\"a\":\"true\"}") == 1);
	CHECK(run("true", "{}") == 1);
	CHECK(run("FALSE", "{}") == 0);
}

static void
lists(void)
{
	CHECK(run("{a} contains 'x'", "{\"a\":[\"x\",\"y\"]}") == 1);
	CHECK(run("{a} contain 'z'", "{\"a\":[\"x\",\"y\"]}") == 0);
	CHECK(run("{a} notcontains 'z'", "{\"a\":[\"x\"]}") == 1);
	CHECK(run("{a} notcontain 'x'", "{\"a\":[\"x\"]}") == 0);
	CHECK(run("{a} contains 'ell'", "{\"a\":\"Hello\"}") == 1);
	CHECK(run("{a} contains 2", "{\"a\":[\"1\",\"2\"]}") == 1);
	CHECK(run("{a} contains 'x'", "{}") == 0);
	CHECK(run("{a} notcontains 'x'", "{}") == 1);
	CHECK(run("{a} anyof ['x', 'z']", "{\"a\":[\"x\",\"y\"]}") == 1);
	CHECK(run("{a} anyof ['z']", "{\"a\":[\"x\",\"y\"]}") == 0);
	CHECK(run("{a} anyof ['x', 'z']", "{\"a\":\"x\"}") == 1);
	CHECK(run("{a} anyof ['x']", "{}") == 0);
	CHECK(run("{a} allof ['x', 'y']", "{\"a\":[\"y\",\"x\"]}") == 1);
	CHECK(run("{a} allof ['x', 'z']", "{\"a\":[\"y\",\"x\"]}") == 0);
	CHECK(run("{a} noneof ['z']", "{\"a\":[\"x\"]}") == 1);
	CHECK(run("{a} anyof []", "{\"a\":[\"x\"]}") == 1);
}

static void
logic(void)
{
	CHECK(run("{a} = 1 and {b} = 2", "{\"a\":1,\"b\":2}") == 1);
	CHECK(run("{a} = 1 && {b} = 2", "{\"a\":1,\"b\":3}") == 0);
	CHECK(run("{a} = 1 or {b} = 2", "{\"a\":0,\"b\":2}") == 1);
	CHECK(run("{a} = 1 || {b} = 2", "{}") == 0);
	CHECK(run("{a} = 1 or {b} = 2 and {c} = 3", "{\"a\":1}") == 1);
	CHECK(run("({a} = 1 or {b} = 2) and {c} = 3", "{\"a\":1}") == 0);
	CHECK(run("!({a} = 1)", "{\"a\":2}") == 1);
	CHECK(run("negate ({a} = 1)", "{\"a\":1}") == 0);
	/* ! binds to the next factor, as in survey-core. */
	CHECK(run("!{a} = false", "{\"a\":1}") == 1);
	CHECK(run("{a} notempty and {a} > 5", "{\"a\":\"7\"}") == 1);
	CHECK(run("  {a}   =   1  ", "{\"a\":1}") == 1);
}

static int
collect(const char *name, void *arg)
{
	struct strbuf	*sb = arg;

	strbuf_appendf(sb, "%s;", name);
	return (strcmp(name, "stop") != 0);
}

static void
names(void)
{
	struct strbuf	 sb;
	struct expr	*e;
	char		 err[128];

	strbuf_init(&sb, 64);
	e = expr_parse("{a} = 1 or ({b} contains 'x' and !({c} empty))", err,
	    sizeof(err));
	CHECK(e != NULL);
	CHECK(expr_names(e, collect, &sb) == 1);
	CHECK_STR(sb.data, "a;b;c;");
	expr_free(e);
	strbuf_reset(&sb);
	e = expr_parse("{stop} = 1 or {later} = 2", err, sizeof(err));
	CHECK(expr_names(e, collect, &sb) == 0);
	CHECK_STR(sb.data, "stop;");
	expr_free(e);
	strbuf_free(&sb);
}

static void
refused(void)
{
	char		 err[128], *deep;
	struct expr	*e;
	size_t		 i, n = 100000;

	CHECK(run("", "{}") == -1);
	CHECK(run("{a} = 'x", "{}") == -1);
	CHECK(run("{a} = \"x", "{}") == -1);
	CHECK(run("{a", "{}") == -1);
	CHECK(run("{}", "{}") == -1);
	CHECK(run("({a} = 1", "{}") == -1);
	CHECK(run("{a} = 1)", "{}") == -1);
	CHECK(run("{a} = ", "{}") == -1);
	CHECK(run("{a} + 1 > 2", "{}") == -1);
	CHECK(run("not {a}", "{}") == -1);
	CHECK(run("iif({a}, 1, 2)", "{}") == -1);
	CHECK(run("{a} anyof [1, 2", "{}") == -1);
	CHECK(run("{a} anyof [{b}]", "{}") == -1);
	CHECK(run("{a} = 1e999", "{}") == -1);
	e = expr_parse("{a} = 'x", err, sizeof(err));
	CHECK(e == NULL);
	CHECK_STR(err, "unterminated string");

	/* Hostile nesting: refused, never a stack overflow. */
	if ((deep = malloc(2 * n + 8)) == NULL)
		abort();
	for (i = 0; i < n; i++)
		deep[i] = '(';
	strcpy(deep + n, "{a}");
	CHECK(expr_parse(deep, err, sizeof(err)) == NULL);
	CHECK_STR(err, "nested too deeply");
	for (i = 0; i < n; i++)
		deep[i] = '!';
	CHECK(expr_parse(deep, err, sizeof(err)) == NULL);
	/* Long flat chains nest on the left: bounded too. */
	deep[0] = '\0';
	for (i = 0; i < 1000; i++)
		strcat(deep, "1=");
	strcat(deep, "1");
	CHECK(expr_parse(deep, err, sizeof(err)) == NULL);
	/* 30 levels are fine. */
	for (i = 0; i < 30; i++)
		deep[i] = '(';
	strcpy(deep + 30, "{a} = 1");
	for (i = 0; i < 30; i++)
		strcat(deep, ")");
	CHECK(run(deep, "{\"a\":1}") == 1);
	free(deep);
}

UNIT_SUITE(expr_tests) = {
	{ "expr: comparisons", comparisons },
	{ "expr: survey-core semantics", survey_core_semantics },
	{ "expr: contains, anyof, allof", lists },
	{ "expr: and, or, negation", logic },
	{ "expr: names", names },
	{ "expr: refused and hostile input", refused },
	{ NULL, NULL }
};
