#include <stdlib.h>

#include "mitwirken.h"
#include "unit.h"

static cJSON *
parse(const char *s, char *err, size_t len)
{
	return (json_parse_body(s, strlen(s), err, len));
}

static void
accepts_valid(void)
{
	char	err[128];
	cJSON	*doc;

	doc = parse(" {\"a\": [1, 2, {\"b\": \"ü\"}]}\n", err, sizeof(err));
	CHECK(doc != NULL);
	cJSON_Delete(doc);
}

static void
rejects_bad(void)
{
	char	err[128], *deep;
	int	i;

	CHECK(parse("", err, sizeof(err)) == NULL);
	CHECK(parse("{\"a\":", err, sizeof(err)) == NULL);
	CHECK(strncmp(err, "malformed JSON", 14) == 0);
	CHECK(parse("{} {}", err, sizeof(err)) == NULL);
	CHECK_STR(err, "trailing data after the JSON value");
	CHECK(parse("{\"a\":1,\"a\":2}", err, sizeof(err)) == NULL);
	CHECK_STR(err, "duplicate key \"a\"");
	CHECK(parse("{\"x\":{\"a\":1,\"b\":{},\"a\":3}}", err,
	    sizeof(err)) == NULL);
	CHECK(parse("\"\xc3\x28\"", err, sizeof(err)) == NULL);
	CHECK_STR(err, "the body is not valid UTF-8");
	CHECK(json_parse_body("{\"a\":\"\0\"}", 9, err, sizeof(err)) == NULL);
	CHECK_STR(err, "the body contains a NUL byte");

	deep = malloc(200);
	for (i = 0; i < 40; i++)
		deep[i] = '[';
	for (i = 40; i < 80; i++)
		deep[i] = ']';
	deep[80] = '\0';
	CHECK(parse(deep, err, sizeof(err)) == NULL);
	CHECK_STR(err, "nested deeper than 32 levels");
	free(deep);
}

static void
depth_limit_exact(void)
{
	char	buf[80], err[128];
	cJSON	*doc;
	int	i;

	for (i = 0; i < 32; i++) {
		buf[i] = '[';
		buf[32 + i] = ']';
	}
	buf[64] = '\0';
	doc = parse(buf, err, sizeof(err));
	CHECK(doc != NULL);
	cJSON_Delete(doc);
	memmove(buf + 1, buf, 65);
	buf[0] = '[';
	buf[65] = ']';
	buf[66] = '\0';
	CHECK(parse(buf, err, sizeof(err)) == NULL);
}

/* Found by fuzzing (tests/fuzz/regressions/json). */
static void
fuzz_regressions(void)
{
	char	err[160];
	cJSON	*doc;
	char	dup[200];

	/* An escaped DEL is legal JSON, and so is a raw one. */
	doc = parse("\"\\u007f\"", err, sizeof(err));
	CHECK(doc != NULL);
	cJSON_Delete(doc);
	doc = parse("\"a\x7f\"", err, sizeof(err));
	CHECK(doc != NULL);
	cJSON_Delete(doc);
	/* cJSON would skip raw controls as white space; JSON forbids them. */
	CHECK(parse("[1,\x19 2]", err, sizeof(err)) == NULL);
	/* An escaped NUL would silently cut the string. */
	CHECK(parse("{\"p\":\"secret\\u0000rest\"}", err, sizeof(err)) ==
	    NULL);
	CHECK_STR(err, "the body contains an escaped NUL (\\u0000)");
	doc = parse("{\"p\":\"a\\\\u0000\"}", err, sizeof(err));
	CHECK(doc != NULL);	/* an escaped backslash, then text */
	cJSON_Delete(doc);
	/* The duplicate-key message never cuts a UTF-8 sequence. */
	(void)snprintf(dup, sizeof(dup), "{\"%s\xc3\xbc\":1,\"%s\xc3\xbc\":2}",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	CHECK(parse(dup, err, sizeof(err)) == NULL);
	CHECK(utf8_valid_json(err, strlen(err)));
}

UNIT_SUITE(json_tests) = {
	{ "json: fuzz regressions (DEL, NUL escape, cut UTF-8)",
	    fuzz_regressions },
	{ "json: accepts valid bodies", accepts_valid },
	{ "json: rejects malformed, duplicate, deep, invalid UTF-8",
	    rejects_bad },
	{ "json: depth limit is exact", depth_limit_exact },
	{ NULL, NULL }
};
