/* markup.c: the city's texts as safe HTML. */
#include <stdio.h>
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
check_render(const char *in, const char *want, int line)
{
	struct strbuf	out;

	strbuf_init(&out, 64);
	markup_render(&out, in, strlen(in));
	if (strcmp(out.data, want) != 0) {
		fprintf(stderr, "  test_markup.c:%d: got \"%s\", want \"%s\"\n",
		    line, out.data, want);
		unit_failed_checks++;
	}
	strbuf_free(&out);
}

#define RENDERS(in, want)	check_render(in, want, __LINE__)

static void
blocks(void)
{
	RENDERS("", "");
	RENDERS("\n\n\n", "");
	RENDERS("Ein Satz.", "<p>Ein Satz.</p>\n");
	/* One statement per line stays one per line (Leichte Sprache). */
	RENDERS("Erster Satz.\nZweiter Satz.\n\nNeuer Absatz.",
	    "<p>Erster Satz.<br>\nZweiter Satz.</p>\n<p>Neuer Absatz.</p>\n");
	RENDERS("# Impressum\nText", "<h2>Impressum</h2>\n<p>Text</p>\n");
	RENDERS("## Kontakt", "<h3>Kontakt</h3>\n");
	RENDERS("- eins\n- zwei\n\n- drei",
	    "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>\n<ul>\n<li>drei</li>\n"
	    "</ul>\n");
	RENDERS("Vorher\n- Punkt\nNachher",
	    "<p>Vorher</p>\n<ul>\n<li>Punkt</li>\n</ul>\n<p>Nachher</p>\n");
	/* CRLF and blanks around a line are no content. */
	RENDERS("  Satz.  \r\n\r\n#  x", "<p>Satz.</p>\n<h2>x</h2>\n");
	/* "#" without a space, "-" alone: text. */
	RENDERS("#kein\n-", "<p>#kein<br>\n-</p>\n");
}

static void
escaping(void)
{
	RENDERS("<script>alert(1)</script>",
	    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
	RENDERS("# <b>\"x\" & 'y'",
	    "<h2>&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;</h2>\n");
	RENDERS("<p onclick=x>", "<p>&lt;p onclick=x&gt;</p>\n");
}

static void
links(void)
{
	RENDERS("Siehe [Stadt](https://www.braunschweig.de).",
	    "<p>Siehe <a href=\"https://www.braunschweig.de\">Stadt</a>.</p>\n");
	RENDERS("[Mail](mailto:a@b.de) [Tel](tel:+495311) [Hier](/impressum)",
	    "<p><a href=\"mailto:a@b.de\">Mail</a> <a href=\"tel:+495311\">"
	    "Tel</a> <a href=\"/impressum\">Hier</a></p>\n");
	/* Query strings are escaped inside the attribute. */
	RENDERS("[x](/a?b=1&c=2)", "<p><a href=\"/a?b=1&amp;c=2\">x</a></p>\n");
	/* Link words are escaped. */
	RENDERS("[<i>](/x)", "<p><a href=\"/x\">&lt;i&gt;</a></p>\n");
	/* Not links: other schemes, protocol-relative, quotes, spaces. */
	RENDERS("[x](javascript:alert(1))",
	    "<p>[x](javascript:alert(1))</p>\n");
	RENDERS("[x](//evil.example)", "<p>[x](//evil.example)</p>\n");
	RENDERS("[x](https://a\"onmouseover=y)",
	    "<p>[x](https://a&quot;onmouseover=y)</p>\n");
	RENDERS("[x](https://a b)", "<p>[x](https://a b)</p>\n");
	RENDERS("[](https://a)", "<p>[](https://a)</p>\n");
	RENDERS("[x](https://)", "<p>[x](https://)</p>\n");
	RENDERS("[x] (https://a) [y", "<p>[x] (https://a) [y</p>\n");
	RENDERS("- [A](/a)", "<ul>\n<li><a href=\"/a\">A</a></li>\n</ul>\n");
	CHECK(markup_link_ok("/", 1));
	CHECK(markup_link_ok("HTTPS://X", 9));
	CHECK(!markup_link_ok("data:text/html,x", 16));
	CHECK(!markup_link_ok("https://a\\b", 11));
}

UNIT_SUITE(markup_tests) = {
	{ "markup: blocks", blocks },
	{ "markup: escaping", escaping },
	{ "markup: links", links },
	{ NULL, NULL }
};
