/*
 * The city's text markup (markup.c) over any input: the output holds only
 * the tags the markup makes (p, br, h2, h3, ul, li, a with one href), each
 * attribute value quoted and free of quotes and angle brackets, an href
 * that markup_link_ok accepts, and tags that nest properly.  No other "<"
 * and no raw quote can come from the input.
 */

#include "mitwirken.h"
#include "fuzz.h"

static const char *const tags[] = {
	"<p>", "</p>", "<br>", "<h2>", "</h2>", "<h3>", "</h3>", "<ul>",
	"</ul>", "<li>", "</li>", "</a>", NULL
};

/* The length of the allowed tag at s, or 0. */
static size_t
allowed_tag(const char *s, size_t left)
{
	const char	*end;
	size_t		i, n;

	for (i = 0; tags[i] != NULL; i++) {
		n = strlen(tags[i]);
		if (left >= n && memcmp(s, tags[i], n) == 0)
			return (n);
	}
	if (left < 11 || memcmp(s, "<a href=\"", 9) != 0)
		return (0);
	end = memchr(s + 9, '"', left - 9);
	FUZZ_ASSERT(end != NULL && (size_t)(end - s) + 1 < left &&
	    end[1] == '>');
	FUZZ_ASSERT(memchr(s + 9, '<', (size_t)(end - s - 9)) == NULL);
	FUZZ_ASSERT(memchr(s + 9, '>', (size_t)(end - s - 9)) == NULL);
	return ((size_t)(end - s) + 2);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	struct strbuf	out;
	size_t		i, n;
	int		open_a = 0, open_p = 0, open_ul = 0;

	strbuf_init(&out, 64);
	markup_render(&out, (const char *)input, size);
	FUZZ_ASSERT(strlen(out.data) == out.len ||
	    memchr(input, '\0', size) != NULL);
	for (i = 0; i < out.len; i++) {
		if (out.data[i] == '"' || out.data[i] == '\'' ||
		    out.data[i] == '>')
			abort();
		if (out.data[i] != '<')
			continue;
		n = allowed_tag(out.data + i, out.len - i);
		FUZZ_ASSERT(n > 0);
		if (out.data[i + 1] == 'a')
			FUZZ_ASSERT(open_a++ == 0);
		else if (memcmp(out.data + i, "</a>", 4) == 0)
			FUZZ_ASSERT(--open_a == 0);
		else if (memcmp(out.data + i, "<p>", 3) == 0)
			FUZZ_ASSERT(open_p++ == 0 && open_ul == 0);
		else if (memcmp(out.data + i, "</p>", 4) == 0)
			FUZZ_ASSERT(--open_p == 0);
		else if (memcmp(out.data + i, "<ul>", 4) == 0)
			FUZZ_ASSERT(open_ul++ == 0 && open_p == 0);
		else if (memcmp(out.data + i, "</ul>", 5) == 0)
			FUZZ_ASSERT(--open_ul == 0);
		i += n - 1;
	}
	FUZZ_ASSERT(open_a == 0 && open_p == 0 && open_ul == 0);
	strbuf_free(&out);
	return (0);
}
