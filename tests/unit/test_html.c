#include "mitwirken.h"
#include "unit.h"

static const char *
partials(const char *name, size_t len, size_t *tlen)
{
	static const char	head[] = "<h1>{{title}}</h1>";
	static const char	loop[] = "{{>loop}}";

	if (len == 4 && strncmp(name, "head", 4) == 0) {
		*tlen = sizeof(head) - 1;
		return (head);
	}
	if (len == 4 && strncmp(name, "loop", 4) == 0) {
		*tlen = sizeof(loop) - 1;
		return (loop);
	}
	return (NULL);
}

static int
render(const char *tmpl, const char *json, struct strbuf *out, char *err)
{
	cJSON	*data;
	int	ok;

	data = cJSON_Parse(json);
	strbuf_reset(out);
	ok = html_render(out, tmpl, strlen(tmpl), data, partials, err,
	    128);
	cJSON_Delete(data);
	return (ok);
}

static void
escaping(void)
{
	struct strbuf	b;

	strbuf_init(&b, 16);
	html_escape(&b, "<a href=\"x\">'&'</a>", 19);
	CHECK_STR(b.data,
	    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	strbuf_free(&b);
}

static void
values_and_sections(void)
{
	struct strbuf	b;
	char		err[128];

	strbuf_init(&b, 64);
	CHECK(render("{{a}}|{{b.c}}|{{n}}|{{x}}|{{t}}",
	    "{\"a\":\"<script>\",\"b\":{\"c\":\"ü\"},\"n\":42,\"t\":true}",
	    &b, err));
	CHECK_STR(b.data, "&lt;script&gt;|ü|42||true");
	CHECK(render("{{#list}}[{{name}}]{{/list}}",
	    "{\"list\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", &b, err));
	CHECK_STR(b.data, "[a][b]");
	CHECK(render("{{#list}}x{{/list}}{{^list}}empty{{/list}}",
	    "{\"list\":[]}", &b, err));
	CHECK_STR(b.data, "empty");
	CHECK(render("{{#o}}{{k}}-{{top}}{{/o}}",
	    "{\"o\":{\"k\":1},\"top\":\"T\"}", &b, err));
	CHECK_STR(b.data, "1-T");
	CHECK(render("{{#l}}{{.}},{{/l}}", "{\"l\":[1,\"&\"]}", &b, err));
	CHECK_STR(b.data, "1,&amp;,");
	CHECK(render("{{#a}}{{#a}}in{{/a}}{{/a}}", "{\"a\":{\"a\":true}}",
	    &b, err));
	CHECK_STR(b.data, "in");
	/* bigint ids exceed long long as doubles (found by fuzzing). */
	CHECK(render("{{id}}|{{n}}", "{\"id\":9223372036854775807,\"n\":-1e300}",
	    &b, err));
	CHECK_STR(b.data, "9223372036854775808|-1.0000000000000001e+300");
	CHECK(render("{{x}}", "{\"x\":2.5}", &b, err));
	CHECK_STR(b.data, "2.5");
	CHECK(render("a{{! note }}b", "{}", &b, err));
	CHECK_STR(b.data, "ab");
	CHECK(render("{{>head}}", "{\"title\":\"<T>\"}", &b, err));
	CHECK_STR(b.data, "<h1>&lt;T&gt;</h1>");
	strbuf_free(&b);
}

/*
 * A list item is a wall: a name inside it resolves in the item (and any
 * object section opened inside it), never in the page by accident; the
 * page's data is reached by writing @root.
 */
static void
lookup_rule(void)
{
	struct strbuf	b;
	char		err[128];

	strbuf_init(&b, 64);
	/* The idea form's goals: a page-level "checked" must not leak in. */
	CHECK(render("{{#goals}}[{{slug}}{{#checked}}+{{/checked}}]{{/goals}}",
	    "{\"checked\":true,\"goals\":[{\"slug\":\"a\"},{\"slug\":\"b\","
	    "\"checked\":true}]}", &b, err));
	CHECK_STR(b.data, "[a][b+]");
	CHECK(render("{{#l}}{{^checked}}-{{/checked}}{{/l}}",
	    "{\"checked\":true,\"l\":[{}]}", &b, err));
	CHECK_STR(b.data, "-");
	CHECK(render("{{#l}}{{lang}}|{{@root.lang}}|{{@root.t.x}};{{/l}}",
	    "{\"lang\":\"de\",\"t\":{\"x\":\"X\"},\"l\":[1,2]}", &b, err));
	CHECK_STR(b.data, "|de|X;|de|X;");
	CHECK(render("{{@root.lang}}", "{\"lang\":\"en\"}", &b, err));
	CHECK_STR(b.data, "en");
	/* An object section inside an item sees the item, not the page. */
	CHECK(render("{{#l}}{{#@root.who}}{{csrf}}:{{id}}:{{top}};"
	    "{{/@root.who}}{{/l}}", "{\"top\":\"T\",\"who\":{\"csrf\":\"c\"},"
	    "\"l\":[{\"id\":1},{\"id\":2}]}", &b, err));
	CHECK_STR(b.data, "c:1:;c:2:;");
	/* The inner list's item is a wall to the outer item too. */
	CHECK(render("{{#a}}{{#b}}{{x}}{{y}}{{/b}}{{/a}}",
	    "{\"a\":[{\"x\":\"X\",\"b\":[{\"y\":1}]}]}", &b, err));
	CHECK_STR(b.data, "1");
	/* Object and plain-value sections are no wall. */
	CHECK(render("{{#o}}{{top}}{{/o}}{{#s}}{{top}}{{/s}}",
	    "{\"o\":{\"k\":1},\"s\":\"x\",\"top\":\"T\"}", &b, err));
	CHECK_STR(b.data, "TT");
	/* ../ leaves one list item: a criterion's slug in its options. */
	CHECK(render("{{#c}}{{#o}}{{../slug}}={{v}}{{../../x}}{{../../../x}};"
	    "{{/o}}{{/c}}", "{\"x\":\"X\",\"c\":[{\"slug\":\"s\",\"o\":[{\"v\":0},"
	    "{\"v\":1}]}]}", &b, err));
	CHECK_STR(b.data, "s=0X;s=1X;");
	CHECK(render("{{../x}}{{#o}}{{../x}}{{/o}}", "{\"x\":1,\"o\":{}}", &b,
	    err));
	CHECK_STR(b.data, "");
	CHECK(render("{{@root.}}{{@root}}|{{@rootx}}", "{\"rootx\":1}", &b,
	    err));
	CHECK_STR(b.data, "|");
	strbuf_free(&b);
}

static void
syntax_errors(void)
{
	struct strbuf	b;
	char		err[128];

	strbuf_init(&b, 64);
	CHECK(!render("{{a", "{}", &b, err));
	CHECK(strncmp(err, "unterminated tag", 16) == 0);
	CHECK(!render("{{#a}}x", "{}", &b, err));
	CHECK(strncmp(err, "unclosed section", 16) == 0);
	CHECK(!render("x{{/a}}", "{}", &b, err));
	CHECK(!render("{{}}", "{}", &b, err));
	CHECK(!render("{{>nope}}", "{}", &b, err));
	CHECK(!render("{{>loop}}", "{}", &b, err));
	CHECK(strncmp(err, "partials nested too deeply", 26) == 0);
	strbuf_free(&b);
}

/* Only a raw item built in C is copied as it is; parsed text is escaped. */
static void
raw_items(void)
{
	struct strbuf	b;
	cJSON		*data;
	char		err[128];

	strbuf_init(&b, 64);
	data = cJSON_Parse("{\"s\":\"<svg/>\"}");
	cJSON_AddItemToObject(data, "r", cJSON_CreateRaw("<svg/>"));
	CHECK(html_render(&b, "{{s}}|{{r}}", 11, data, NULL, err,
	    sizeof(err)));
	CHECK_STR(b.data, "&lt;svg/&gt;|<svg/>");
	cJSON_Delete(data);
	strbuf_free(&b);
}

UNIT_SUITE(html_tests) = {
	{ "html: raw items from C only", raw_items },
	{ "html: escaping", escaping },
	{ "html: values, sections, partials", values_and_sections },
	{ "html: a list item is a wall, @root reaches out", lookup_rule },
	{ "html: template syntax errors", syntax_errors },
	{ NULL, NULL }
};
