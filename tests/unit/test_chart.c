#include <stdlib.h>

#include "mitwirken.h"
#include "unit.h"

/*
 * A small XML well-formedness checker: matched tags, quoted attributes
 * without duplicates, only the five entities and character references, no
 * raw '<' or '&' in text, no C0 controls.  Enough to prove the charts are
 * XML (browsers parse inline SVG as HTML, but print tools and the
 * HTTP tests' xmllint read it as XML).  Returns the number of roots, or -1.
 */
static int
entity_ok(const char **pp)
{
	static const char *const ents[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#39;", NULL
	};
	const char	*p;
	int		i;

	p = *pp;
	for (i = 0; ents[i] != NULL; i++) {
		if (strncmp(p, ents[i], strlen(ents[i])) == 0) {
			*pp = p + strlen(ents[i]);
			return (1);
		}
	}
	if (p[1] != '#')
		return (0);
	for (p += 2; *p >= '0' && *p <= '9'; p++)
		;
	if (*p != ';' || p == *pp + 2)
		return (0);
	*pp = p + 1;
	return (1);
}

static int
name_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':');
}

static int
xml_check(const char *p)
{
	char		stack[32][32], attrs[16][32];
	size_t		n;
	int		depth, roots, nattr, i;

	depth = roots = 0;
	while (*p != '\0') {
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' &&
		    *p != '\r')
			return (-1);
		if (*p == '&') {
			if (!entity_ok(&p))
				return (-1);
			continue;
		}
		if (*p != '<') {
			if (depth == 0 && *p != '\n' && *p != ' ')
				return (-1);
			p++;
			continue;
		}
		p++;
		if (*p == '/') {
			for (n = 0, p++; name_char(p[n]); n++)
				;
			if (depth == 0 || n != strlen(stack[depth - 1]) ||
			    strncmp(p, stack[depth - 1], n) != 0 || p[n] != '>')
				return (-1);
			depth--;
			p += n + 1;
			continue;
		}
		for (n = 0; name_char(p[n]); n++)
			;
		if (n == 0 || n >= 32 || depth == 32)
			return (-1);
		if (depth == 0)
			roots++;
		memcpy(stack[depth], p, n);
		stack[depth][n] = '\0';
		p += n;
		nattr = 0;
		for (;;) {
			while (*p == ' ' || *p == '\n')
				p++;
			if (*p == '>' || (p[0] == '/' && p[1] == '>'))
				break;
			for (n = 0; name_char(p[n]); n++)
				;
			if (n == 0 || n >= 32 || nattr == 16 || p[n] != '=' ||
			    p[n + 1] != '"')
				return (-1);
			for (i = 0; i < nattr; i++)
				if (strlen(attrs[i]) == n &&
				    strncmp(attrs[i], p, n) == 0)
					return (-1);
			memcpy(attrs[nattr], p, n);
			attrs[nattr++][n] = '\0';
			for (p += n + 2; *p != '"'; ) {
				if (*p == '\0' || *p == '<' ||
				    (unsigned char)*p < 0x20)
					return (-1);
				if (*p == '&') {
					if (!entity_ok(&p))
						return (-1);
				} else {
					p++;
				}
			}
			p++;
		}
		if (*p == '/') {
			p += 2;
		} else {
			depth++;
			p++;
		}
	}
	return (depth == 0 ? roots : -1);
}

static int
count(const char *hay, const char *needle)
{
	int	n;

	for (n = 0; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return (n);
}

static const char *const months[] = {
	"2025-01", "2025-02", "2025-03", "2025-04"
};
static const double	sub[] = { 12, 3, 7, 1500 };
static const double	pub[] = { 10, 0, 5, 1200 };
static const unsigned char	sub_hidden[] = { 0, 1, 0, 0 };

static struct chart_series two[] = {
	{ "Eingereicht", sub, sub_hidden, NULL },
	{ "Veröffentlicht & <b>", pub, NULL, NULL },
};

static struct chart
line_chart(void)
{
	struct chart	c;

	memset(&c, 0, sizeof(c));
	c.id = "ideas";
	c.title = "Ideen <je> Monat & \"mehr\"";
	c.desc = "Ideen\x01 im Zeitraum";
	c.labels = months;
	c.npoints = 4;
	c.series = two;
	c.nseries = 2;
	c.hidden = "geschützt";
	c.lang = LANG_DE;
	return (c);
}

static void
test_chart_lines_wellformed(void)
{
	struct strbuf	sb;
	struct chart	c;

	c = line_chart();
	strbuf_init(&sb, 256);
	chart_lines(&sb, &c);
	CHECK(xml_check(sb.data) == 1);
	CHECK(strncmp(sb.data, "<svg ", 5) == 0);
	CHECK(strstr(sb.data, "role=\"img\"") != NULL);
	CHECK(strstr(sb.data, "aria-labelledby=\"ideas-title ideas-desc\"")
	    != NULL);
	CHECK(strstr(sb.data, "<title id=\"ideas-title\">Ideen &lt;je&gt; "
	    "Monat &amp; &quot;mehr&quot;</title>") != NULL);
	CHECK(strstr(sb.data, "<desc id=\"ideas-desc\">Ideen  im Zeitraum. "
	    "Eingereicht: 2025-01 12; 2025-02 geschützt; 2025-03 7; "
	    "2025-04 1.500. ") != NULL);
	CHECK(strstr(sb.data, "Veröffentlicht &amp; &lt;b&gt;") != NULL);
	CHECK(strstr(sb.data, "viewBox=\"0 0 360 ") != NULL);
	CHECK(strstr(sb.data, "width=\"100%\"") != NULL);
	CHECK(strstr(sb.data, "<b>") == NULL);
	strbuf_free(&sb);
}

/* The hidden point breaks the first series' path in two and is labelled. */
static void
test_chart_lines_gap(void)
{
	struct strbuf	sb;
	struct chart	c;
	const char	*path;
	char		*end;

	c = line_chart();
	strbuf_init(&sb, 256);
	chart_lines(&sb, &c);
	path = strstr(sb.data, "<path fill=\"none\"");
	CHECK(path != NULL);
	if (path != NULL) {
		end = strstr(path, "/>");
		CHECK(end != NULL);
		if (end != NULL) {
			*end = '\0';
			CHECK(count(path, "M") == 2);
			CHECK(count(path, "L") == 1);
			*end = '/';
		}
	}
	CHECK(count(sb.data, "class=\"chart-gap\">geschützt</text>") == 1);
	CHECK(strstr(sb.data, "&lt; 5") == NULL);
	/* The second series has a zero, not a gap: a path of 4 points. */
	path = strstr(path + 1, "<path fill=\"none\"");
	CHECK(path != NULL && strstr(path, "L") != NULL);
	strbuf_free(&sb);
}

/* Two series withheld at one month: upright labels side by side. */
static void
test_chart_gaps_apart(void)
{
	struct strbuf		sb;
	struct chart		c;
	struct chart_series	both[2];
	const char		*a, *b;
	double			xa, xb;

	c = line_chart();
	both[0] = two[0];
	both[1] = two[1];
	both[1].hidden = sub_hidden;
	c.series = both;
	strbuf_init(&sb, 256);
	chart_lines(&sb, &c);
	CHECK(xml_check(sb.data) == 1);
	CHECK(count(sb.data, "class=\"chart-gap\">geschützt</text>") == 2);
	a = strstr(sb.data, "transform=\"rotate(-90 ");
	b = a != NULL ? strstr(a + 1, "transform=\"rotate(-90 ") : NULL;
	CHECK(a != NULL && b != NULL);
	if (a != NULL && b != NULL) {
		xa = strtod(a + strlen("transform=\"rotate(-90 "), NULL);
		xb = strtod(b + strlen("transform=\"rotate(-90 "), NULL);
		CHECK(xb - xa >= 9);
	}
	strbuf_free(&sb);
}

static void
test_chart_target(void)
{
	struct strbuf	sb;
	struct chart	c;
	double		target = 2000;
	static const double	xs[] = { 0, 31, 59, 365 };

	c = line_chart();
	c.nseries = 1;
	c.target = &target;
	c.target_label = "Ziel";
	c.x = xs;
	strbuf_init(&sb, 256);
	chart_lines(&sb, &c);
	CHECK(xml_check(sb.data) == 1);
	CHECK(strstr(sb.data, "class=\"chart-target\"") != NULL);
	CHECK(strstr(sb.data, "Ziel: 2.000.</desc>") != NULL);
	CHECK(strstr(sb.data, ">Ziel 2.000</text>") != NULL);
	/* One series: no legend, the title names it. */
	CHECK(strstr(sb.data, "Veröffentlicht") == NULL);
	strbuf_free(&sb);
}

static void
test_chart_bars(void)
{
	struct strbuf	sb;
	struct chart	c;
	static const char *const names[] = {
		"Mitte", "Süd<west>", "Nordstadt", "Weststadt"
	};

	c = line_chart();
	c.id = "by district\"><script>";
	c.labels = names;
	c.nseries = 1;
	strbuf_init(&sb, 256);
	chart_bars(&sb, &c);
	CHECK(xml_check(sb.data) == 1);
	CHECK(count(sb.data, "class=\"chart-bar\"") == 3);
	CHECK(strstr(sb.data, "class=\"chart-gap\">geschützt</text>") != NULL);
	CHECK(strstr(sb.data, "Süd&lt;west&gt;") != NULL);
	CHECK(strstr(sb.data, "<script") == NULL);
	CHECK(strstr(sb.data, "by_district___script_-title") != NULL);
	strbuf_free(&sb);
}

/*
 * A lower bound (a period total over a withheld month): drawn to the
 * bound with an open end, "≥ 7" on the chart, "mind. 7" in the desc.
 */
static void
test_chart_bars_lower(void)
{
	struct strbuf		sb;
	struct chart		c;
	struct chart_series	s;
	static const unsigned char	low[] = { 0, 0, 1, 0 };

	c = line_chart();
	s = two[0];
	s.lower = low;
	c.series = &s;
	c.nseries = 1;
	c.at_least = "mind.";
	strbuf_init(&sb, 256);
	chart_bars(&sb, &c);
	CHECK(xml_check(sb.data) == 1);
	CHECK(count(sb.data, "class=\"chart-bar\"") == 3);
	CHECK(count(sb.data, "class=\"chart-more\"") == 1);
	CHECK(strstr(sb.data, ">\xe2\x89\xa5 7</text>") != NULL);
	CHECK(strstr(sb.data, "2025-03 mind. 7; ") != NULL);
	/* A withheld value stays withheld, lower or not. */
	CHECK(strstr(sb.data, "2025-02 geschützt; ") != NULL);
	strbuf_free(&sb);
}

static void
test_chart_multiples(void)
{
	struct strbuf	sb;
	struct chart	p[3];
	int		i;

	for (i = 0; i < 3; i++) {
		p[i] = line_chart();
		p[i].nseries = 1;
	}
	p[0].id = "f-energie";
	p[0].title = "Energie";
	p[1].id = "f-mobilitaet";
	p[1].title = "Mobilität";
	p[2].id = "f-umwelt";
	p[2].title = "Environment and Climate Protection";
	strbuf_init(&sb, 256);
	chart_multiples(&sb, p, 3, "Ideen je Handlungsfeld");
	CHECK(xml_check(sb.data) == 1);
	CHECK(count(sb.data, "<svg ") == 3);
	CHECK(count(sb.data, "<title id=") == 3);
	CHECK(count(sb.data, "<desc id=") == 3);
	CHECK(strstr(sb.data, "<title id=\"f-umwelt-title\">Environment and "
	    "Climate Protection</title>") != NULL);
	CHECK(strstr(sb.data, "aria-label=\"Ideen je Handlungsfeld\"") !=
	    NULL);
	/* A long name is squeezed into its panel, a short one is not. */
	CHECK(count(sb.data, "lengthAdjust=\"spacingAndGlyphs\"") == 1);
	CHECK(strstr(sb.data, "textLength=\"198\" lengthAdjust=\"spacingAndGlyphs"
	    "\">Environment and Climate Protection</text>") != NULL);
	/* Escaped in the title, the panel's heading and the desc. */
	p[1].title = "Umwelt & Klima";
	strbuf_reset(&sb);
	chart_multiples(&sb, p, 3, NULL);
	CHECK(xml_check(sb.data) == 1);
	CHECK(strstr(sb.data, "<title id=\"f-mobilitaet-title\">Umwelt &amp; "
	    "Klima</title>") != NULL);
	strbuf_free(&sb);
}

static void
test_chart_empty_and_number(void)
{
	struct strbuf	sb;
	struct chart	c;
	char		buf[32];

	memset(&c, 0, sizeof(c));
	strbuf_init(&sb, 64);
	chart_lines(&sb, &c);
	CHECK(xml_check(sb.data) == 1);
	strbuf_reset(&sb);
	chart_bars(&sb, &c);
	CHECK(xml_check(sb.data) == 1);
	strbuf_free(&sb);
	chart_number(buf, sizeof(buf), 1234567.26, 1, LANG_DE);
	CHECK_STR(buf, "1.234.567,3");
	chart_number(buf, sizeof(buf), -1234.5, 1, LANG_EN);
	CHECK_STR(buf, "-1,234.5");
	chart_number(buf, sizeof(buf), 999, 0, LANG_DE);
	CHECK_STR(buf, "999");
	/* The checker itself refuses what it should. */
	CHECK(xml_check("<a><b></a></b>") == -1);
	CHECK(xml_check("<a x=\"1\" x=\"2\"/>") == -1);
	CHECK(xml_check("<a>1 & 2</a>") == -1);
	CHECK(xml_check("<a>1 < 2</a>") == -1);
	CHECK(xml_check("<a x=1/>") == -1);
}

UNIT_SUITE(chart_tests) = {
	{ "chart_lines_wellformed", test_chart_lines_wellformed },
	{ "chart_lines_gap", test_chart_lines_gap },
	{ "chart_gaps_apart", test_chart_gaps_apart },
	{ "chart_bars_lower", test_chart_bars_lower },
	{ "chart_target", test_chart_target },
	{ "chart_bars", test_chart_bars },
	{ "chart_multiples", test_chart_multiples },
	{ "chart_empty_and_number", test_chart_empty_and_number },
	{ NULL, NULL }
};
