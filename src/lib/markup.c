/*
 * The small markup of the city's texts (Impressum, Datenschutzerklärung,
 * Erklärung zur Barrierefreiheit, Leichte Sprache): an administrator
 * writes plain text, never HTML, and this renders it.  Everything not
 * listed below is text and is escaped, so a "<script>" in a text shows as
 * those characters.
 *
 *   blank line           ends a block
 *   # Heading            <h2>   (## Heading: <h3>)
 *   - item               <li> in a <ul>; consecutive items form one list
 *   other lines          one <p> per block; a line break stays one
 *                        (<br>): Leichte Sprache puts one statement per line
 *   [words](target)      a link; target https://, http://, mailto:, tel:
 *                        or a path on this site ("/..." but not "//...");
 *                        any other target leaves the brackets as text
 *
 * Pure: no allocation besides the output buffer; linear in the input.
 */

#include <string.h>
#include <strings.h>

#include "mitwirken.h"

enum block {
	BLOCK_NONE,
	BLOCK_PARA,
	BLOCK_LIST
};

static const char *const link_schemes[] = {
	"https://", "http://", "mailto:", "tel:", NULL
};

/* May [words](target) become a link to target? */
int
markup_link_ok(const char *t, size_t len)
{
	size_t	i, n;

	if (len == 0 || len > 500)
		return (0);
	for (i = 0; i < len; i++) {
		/* No spaces, quotes or controls: one unambiguous target. */
		if ((unsigned char)t[i] <= 0x20 || t[i] == '"' ||
		    t[i] == '\'' || t[i] == '<' || t[i] == '>' ||
		    t[i] == '\\' || t[i] == 0x7f)
			return (0);
	}
	if (t[0] == '/')
		return (len == 1 || t[1] != '/');
	for (i = 0; link_schemes[i] != NULL; i++) {
		n = strlen(link_schemes[i]);
		if (len > n && strncasecmp(t, link_schemes[i], n) == 0)
			return (1);
	}
	return (0);
}

/* One line's text with its links. */
static void
inline_text(struct strbuf *out, const char *s, size_t len)
{
	const char	*close, *end, *p;
	size_t		i, start;

	for (i = 0, start = 0; i < len; i++) {
		if (s[i] != '[')
			continue;
		p = s + i + 1;
		close = memchr(p, ']', len - i - 1);
		if (close == NULL || close == p ||
		    (size_t)(close - s) + 1 >= len || close[1] != '(')
			continue;
		end = memchr(close + 2, ')', len - (size_t)(close + 2 - s));
		if (end == NULL || !markup_link_ok(close + 2,
		    (size_t)(end - close - 2)))
			continue;
		html_escape(out, s + start, i - start);
		strbuf_appends(out, "<a href=\"");
		html_escape(out, close + 2, (size_t)(end - close - 2));
		strbuf_appends(out, "\">");
		html_escape(out, p, (size_t)(close - p));
		strbuf_appends(out, "</a>");
		i = (size_t)(end - s);
		start = i + 1;
	}
	html_escape(out, s + start, len - start);
}

static void
close_block(struct strbuf *out, enum block *b)
{
	if (*b == BLOCK_PARA)
		strbuf_appends(out, "</p>\n");
	else if (*b == BLOCK_LIST)
		strbuf_appends(out, "</ul>\n");
	*b = BLOCK_NONE;
}

/* Leading and trailing blanks (and a CR of CRLF) are no content. */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
	    (*s)[*len - 1] == '\r'))
		(*len)--;
}

static void
heading(struct strbuf *out, enum block *b, const char *tag, const char *s,
    size_t len)
{
	close_block(out, b);
	trim(&s, &len);
	strbuf_appendf(out, "<%s>", tag);
	inline_text(out, s, len);
	strbuf_appendf(out, "</%s>\n", tag);
}

static void
line(struct strbuf *out, const char *s, size_t len, enum block *b)
{
	trim(&s, &len);
	if (len == 0) {
		close_block(out, b);
	} else if (len > 3 && memcmp(s, "## ", 3) == 0) {
		heading(out, b, "h3", s + 3, len - 3);
	} else if (len > 2 && memcmp(s, "# ", 2) == 0) {
		heading(out, b, "h2", s + 2, len - 2);
	} else if (len > 2 && memcmp(s, "- ", 2) == 0) {
		if (*b != BLOCK_LIST) {
			close_block(out, b);
			strbuf_appends(out, "<ul>\n");
			*b = BLOCK_LIST;
		}
		strbuf_appends(out, "<li>");
		inline_text(out, s + 2, len - 2);
		strbuf_appends(out, "</li>\n");
	} else {
		if (*b == BLOCK_PARA) {
			strbuf_appends(out, "<br>\n");
		} else {
			close_block(out, b);
			strbuf_appends(out, "<p>");
			*b = BLOCK_PARA;
		}
		inline_text(out, s, len);
	}
}

void
markup_render(struct strbuf *out, const char *in, size_t len)
{
	enum block	b = BLOCK_NONE;
	const char	*p, *nl, *end = in + len;

	for (p = in; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		line(out, p, (size_t)(nl - p), &b);
	}
	close_block(out, &b);
}
