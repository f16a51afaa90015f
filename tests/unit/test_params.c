#include "mitwirken.h"
#include "unit.h"

static const char *const langs[] = { "de", "en", NULL };

static const struct param_spec specs[] = {
	{ "department", PARAM_SLUG, 0, 0, 0, NULL },
	{ "limit", PARAM_INT, 0, 1, 100, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "q", PARAM_TEXT, 0, 1, 10, NULL },
	{ NULL }
};

static const struct param_spec required[] = {
	{ "slug", PARAM_SLUG, 1, 0, 0, NULL },
	{ NULL }
};

static void
url_decode(void)
{
	char	out[32];
	size_t	n;

	CHECK(params_url_decode("a%20b+c", 7, out, sizeof(out), &n));
	CHECK_STR(out, "a b c");
	CHECK(n == 5);
	CHECK(params_url_decode("%C3%BC", 6, out, sizeof(out), &n) &&
	    n == 2);
	CHECK(!params_url_decode("%", 1, out, sizeof(out), &n));
	CHECK(!params_url_decode("%4", 2, out, sizeof(out), &n));
	CHECK(!params_url_decode("%zz", 3, out, sizeof(out), &n));
	CHECK(!params_url_decode("%00", 3, out, sizeof(out), &n));
	CHECK(!params_url_decode("abcdef", 6, out, 4, &n));
	CHECK(!params_url_decode("a\0b", 3, out, sizeof(out), &n));
}

static void
parse_query(void)
{
	struct param_set	ps = { 0 };
	struct field_errors	fe = { 0 };

	CHECK(params_parse_query("department=tiefbau&&limit=10&", &ps, &fe));
	CHECK(ps.count == 2);
	CHECK_STR(params_get(&ps, "department"), "tiefbau");
	CHECK_STR(params_get(&ps, "limit"), "10");
	CHECK(params_get(&ps, "nope") == NULL);
	params_free(&ps);

	CHECK(!params_parse_query("a=1&a=2", &ps, &fe));
	CHECK(fe.count == 1);
	CHECK_STR(fe.items[0].field, "a");
	params_free(&ps);

	memset(&fe, 0, sizeof(fe));
	CHECK(!params_parse_query("q=%ZZ", &ps, &fe));
	CHECK_STR(fe.items[0].field, "q");
	params_free(&ps);

	memset(&fe, 0, sizeof(fe));
	CHECK(!params_parse_query("=x", &ps, &fe));
	params_free(&ps);

	memset(&fe, 0, sizeof(fe));
	CHECK(params_parse_query("flag", &ps, &fe));
	CHECK_STR(params_get(&ps, "flag"), "");
	params_free(&ps);
	CHECK(params_parse_query(NULL, &ps, &fe));
}

static void
validate(void)
{
	struct param_set	ps = { 0 };
	struct field_errors	fe = { 0 };

	CHECK(params_parse_query("department=tiefbau-und-verkehr&limit=100"
	    "&lang=en&q=abc", &ps, &fe));
	CHECK(params_validate(&ps, specs, &fe));
	CHECK(fe.count == 0);
	params_free(&ps);

	CHECK(params_parse_query("department=Tief%20bau&limit=0&lang=fr"
	    "&q=&distrct=x", &ps, &fe));
	CHECK(!params_validate(&ps, specs, &fe));
	CHECK(fe.count == 5);
	CHECK_STR(fe.items[0].field, "distrct");
	CHECK_STR(fe.items[0].reason, "unknown parameter");
	CHECK_STR(fe.items[1].field, "department");
	CHECK_STR(fe.items[2].field, "limit");
	CHECK_STR(fe.items[2].reason, "must be a whole number from 1 to 100");
	CHECK_STR(fe.items[3].reason, "must be one of: de en");
	CHECK_STR(fe.items[4].field, "q");
	params_free(&ps);

	memset(&fe, 0, sizeof(fe));
	CHECK(!params_validate(&ps, required, &fe));
	CHECK_STR(fe.items[0].reason, "required");
}

static void
int_edges(void)
{
	static const char *const bad[] = { "1.5", "+5", " 5", "5 ", "abc",
	    "99999999999999999999", "-1", "101", "", "\r1", "\t5", "\n7",
	    "-", NULL };
	struct param_set	ps = { 0 };
	struct field_errors	fe;
	int			i;

	for (i = 0; bad[i] != NULL; i++) {
		memset(&fe, 0, sizeof(fe));
		params_add(&ps, "limit", 5, bad[i], strlen(bad[i]));
		CHECK(!params_validate(&ps, specs, &fe));
		params_free(&ps);
	}
}

static void
drop_empty(void)
{
	struct param_set	ps = { 0 };
	struct field_errors	fe;

	memset(&fe, 0, sizeof(fe));
	CHECK(params_parse_query("field=&q=rad&district=&lang=en", &ps, &fe));
	params_drop_empty(&ps);
	CHECK(ps.count == 2);
	CHECK(params_get(&ps, "field") == NULL);
	CHECK_STR(params_get(&ps, "q"), "rad");
	CHECK_STR(params_get(&ps, "lang"), "en");
	params_free(&ps);
}

static void
drop_unknown(void)
{
	static const char *const two_langs[] = { "de", "en", NULL };
	static const struct param_spec page_specs[] = {
		{ "lang", PARAM_ENUM, 0, 0, 0, two_langs },
		{ "q", PARAM_TEXT, 0, 1, 10, NULL },
		{ NULL }
	};
	struct param_set	ps = { 0 };
	struct field_errors	fe;

	memset(&fe, 0, sizeof(fe));
	CHECK(params_parse_query("fbclid=x&q=rad&utm_source=y&lang=fr", &ps,
	    &fe));
	params_drop_unknown(&ps, page_specs);
	CHECK(ps.count == 2);
	CHECK(params_get(&ps, "fbclid") == NULL);
	CHECK(params_get(&ps, "utm_source") == NULL);
	CHECK_STR(params_get(&ps, "q"), "rad");
	/* A declared name keeps its bad value: that is still an error. */
	CHECK(!params_validate(&ps, page_specs, &fe));
	CHECK_STR(fe.items[0].field, "lang");
	params_free(&ps);
	CHECK(params_parse_query("a=1", &ps, &fe));
	params_drop_unknown(&ps, NULL);
	CHECK(ps.count == 0);
}

UNIT_SUITE(params_tests) = {
	{ "params: a page form's empty fields are no filter", drop_empty },
	{ "params: a page ignores names it does not declare", drop_unknown },
	{ "params: url decoding", url_decode },
	{ "params: query parsing", parse_query },
	{ "params: validation names every field", validate },
	{ "params: integer edge cases", int_edges },
	{ NULL, NULL }
};
