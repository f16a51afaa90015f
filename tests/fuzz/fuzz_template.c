/*
 * The template engine over fuzzed template text and fixed data, and
 * html_escape over the raw input.  Data never reaches a page unescaped: a
 * template without <, >, " and ' of its own renders to text without them,
 * whatever the (hostile) strings in the data.
 */

#include "mitwirken.h"
#include "fuzz.h"

/*
 * The shapes pages render: strings with markup in them, whole and
 * fractional numbers, the largest bigint an id column can hold, booleans,
 * null, empty and filled arrays, nested objects.
 */
static const char	data_json[] =
    "{\"title\":\"<M\\u00e4ngel & \\\"Ideen\\\">\","
    "\"name\":\"O'Brien <script>alert(1)</script>\","
    "\"empty\":\"\",\"n\":42,\"neg\":-7,\"frac\":0.25,"
    "\"id\":9223372036854775807,"
    "\"yes\":true,\"no\":false,\"nil\":null,"
    "\"list\":[{\"name\":\"<a href='x'>\",\"n\":1},{\"name\":\"\\\"b\\\"\"}],"
    "\"none\":[],"
    "\"field\":{\"slug\":\"mobilitaet\",\"title\":\"Mobilit\\u00e4t > Bus\","
    "\"goals\":[\"'g1'\",\"<g2>\",3]},"
    "\"lang\":\"de\"}";

static cJSON	*data;

/* No <, >, " or ' here either: any in the output came from data. */
static const char	head[] = "[{{title}}|{{#field}}{{title}}{{/field}}]";
static const char	item[] = "{{#list}}({{name}}:{{n}}){{/list}}";
static const char	self[] = "{{>self}}";
static const char	bad[] = "{{#list}}";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((data = cJSON_Parse(data_json)) == NULL)
		abort();
	return (0);
}

static const char *
partial(const char *name, size_t len, size_t *tlen)
{
	static const struct {
		const char	*name;
		const char	*text;
		size_t		len;
	} parts[] = {
		{ "head", head, sizeof(head) - 1 },
		{ "item", item, sizeof(item) - 1 },
		{ "self", self, sizeof(self) - 1 },
		{ "bad", bad, sizeof(bad) - 1 },
	};
	size_t	i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (strlen(parts[i].name) == len &&
		    memcmp(parts[i].name, name, len) == 0) {
			*tlen = parts[i].len;
			return (parts[i].text);
		}
	}
	return (NULL);
}

/* Undoes html_escape; the five entities are all it ever writes. */
static int
unescapes_to(const char *esc, size_t elen, const uint8_t *raw, size_t rlen)
{
	static const struct {
		const char	*ent;
		char		c;
	} ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' },
	};
	size_t	i, o, k, n;

	for (i = 0, o = 0; i < elen; o++) {
		if (o == rlen)
			return (0);
		if (esc[i] != '&') {
			if ((uint8_t)esc[i++] != raw[o])
				return (0);
			continue;
		}
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			n = strlen(ents[k].ent);
			if (elen - i >= n &&
			    memcmp(esc + i, ents[k].ent, n) == 0)
				break;
		}
		if (k == sizeof(ents) / sizeof(ents[0]) ||
		    raw[o] != (uint8_t)ents[k].c)
			return (0);
		i += strlen(ents[k].ent);
	}
	return (o == rlen);
}

static int
has_markup(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] == '<' || s[i] == '>' || s[i] == '"' || s[i] == '\'')
			return (1);
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	struct strbuf	out;
	char		*tmpl, err[128];
	int		ok;

	strbuf_init(&out, 64);
	html_escape(&out, (const char *)input, size);
	FUZZ_ASSERT(!has_markup(out.data, out.len));
	FUZZ_ASSERT(unescapes_to(out.data, out.len, input, size));

	/* html_render wants the NUL at tmpl[len]. */
	tmpl = fuzz_cstring(input, size);
	strbuf_reset(&out);
	err[0] = '\0';
	ok = html_render(&out, tmpl, size, data, partial, err,
	    sizeof(err));
	if (!ok)
		FUZZ_ASSERT(err[0] != '\0');
	/* Output written before an error is held to the same rule. */
	if (!has_markup(tmpl, size))
		FUZZ_ASSERT(!has_markup(out.data, out.len));
	free(tmpl);
	strbuf_free(&out);
	return (0);
}
