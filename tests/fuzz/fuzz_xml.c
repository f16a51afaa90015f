/*
 * The Open311 XML writer (src/lib/open311.c): whatever JSON it is given
 * (any document cJSON parses, or the raw bytes as one string), the output
 * must be well-formed XML 1.0 in UTF-8: checked here by a small reader of
 * the subset the writer emits (a declaration, elements without
 * attributes, character data with the five entities and &#13;).
 */

#include "mitwirken.h"
#include "fuzz.h"

#define DEPTH_MAX	256

static int
name_char(char c, int first)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.')));
}

/* Character data up to the next '<': entities only as the writer's. */
static size_t
text(const char *s, size_t i, size_t len)
{
	static const char *const ent[] = { "&amp;", "&lt;", "&gt;", "&quot;",
	    "&apos;", "&#13;", NULL };
	size_t			start = i, k;
	unsigned char		c;

	while (i < len && s[i] != '<') {
		c = (unsigned char)s[i];
		FUZZ_ASSERT(c != '>' && c != '"' && c != '\'');
		FUZZ_ASSERT(c >= 0x20 || c == '\t' || c == '\n');
		if (c == '&') {
			for (k = 0; ent[k] != NULL; k++) {
				if (strncmp(s + i, ent[k], strlen(ent[k])) == 0)
					break;
			}
			FUZZ_ASSERT(ent[k] != NULL);
			i += strlen(ent[k]);
			continue;
		}
		i++;
	}
	FUZZ_ASSERT(fuzz_utf8_wellformed(s + start, i - start));
	return (i);
}

static void
well_formed(const struct strbuf *b)
{
	static const char	decl[] = "<?xml version=\"1.0\" "
	    "encoding=\"utf-8\"?>\n";
	const char		*s = b->data, *names[DEPTH_MAX];
	size_t			lens[DEPTH_MAX], i, n, len = b->len;
	int			depth = 0, closing, roots = 0;

	FUZZ_ASSERT(strlen(s) == len);
	FUZZ_ASSERT(strncmp(s, decl, sizeof(decl) - 1) == 0);
	for (i = sizeof(decl) - 1; i < len;) {
		if (s[i] != '<') {
			FUZZ_ASSERT(depth > 0 || s[i] == '\n');
			i = depth > 0 ? text(s, i, len) : i + 1;
			continue;
		}
		closing = s[++i] == '/';
		i += closing;
		for (n = 0; i + n < len && name_char(s[i + n], n == 0); n++)
			;
		FUZZ_ASSERT(n > 0 && i + n < len && s[i + n] == '>');
		if (closing) {
			FUZZ_ASSERT(depth > 0);
			depth--;
			FUZZ_ASSERT(lens[depth] == n &&
			    memcmp(names[depth], s + i, n) == 0);
		} else {
			FUZZ_ASSERT(depth < DEPTH_MAX);
			if (depth == 0)
				roots++;
			names[depth] = s + i;
			lens[depth++] = n;
		}
		i += n + 1;
	}
	FUZZ_ASSERT(depth == 0 && roots == 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf	b;
	cJSON		*doc;
	char		*s;

	s = fuzz_cstring(data, size);
	if ((doc = cJSON_ParseWithLength(s, size)) == NULL)
		doc = cJSON_CreateString(s);
	strbuf_init(&b, 256);
	open311_xml(&b, "service_requests", doc);
	well_formed(&b);
	cJSON_Delete(doc);
	/* Raw bytes, NUL included, as character data of an element. */
	strbuf_reset(&b);
	strbuf_appends(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<t>");
	open311_xml_text(&b, (const char *)data, size);
	strbuf_appends(&b, "</t>\n");
	FUZZ_ASSERT(strlen(b.data) == b.len);
	well_formed(&b);
	strbuf_free(&b);
	free(s);
	return (0);
}
