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
	ok = template_render(out, tmpl, strlen(tmpl), data, partials, err,
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

UNIT_SUITE(html_tests) = {
	{ "html: escaping", escaping },
	{ "html: values, sections, partials", values_and_sections },
	{ "html: template syntax errors", syntax_errors },
	{ NULL, NULL }
};
