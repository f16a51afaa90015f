/*
 * Inline SVG charts drawn on the server, so a page needs no script: bars
 * (one per category), lines (several series over months or dates, with an
 * optional dashed target) and small multiples (one small line chart per
 * Handlungsfeld, all on one scale so they compare at a glance).
 *
 * What every chart promises (issue 15): role="img" named by its <title>
 * and described by a <desc> that states every number, so a screen reader
 * hears the data, not "image"; a viewBox and width 100 % so it reflows at
 * 320 px; dark strokes, dash patterns, marker shapes and direct labels, so
 * nothing depends on colour and it prints in black and white; a withheld
 * value is a gap, labelled with one neutral word where its mark would be
 * (the same word for a small value and for one withheld only so that a
 * small one cannot be recomputed: a reader must not tell them apart); a
 * lower bound (a period total over a withheld month) is drawn to the
 * bound and marked "≥".  Every text is escaped for XML (and controls
 * dropped), so a title from the database cannot break the page.  The
 * table beside each chart carries the same numbers from the same
 * structure (src/stats/stats_pages.c).
 */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

/* Line charts: a viewBox narrow enough that 13-unit text stays legible. */
#define LW		360
#define LH		180
#define L_LEFT		44
#define L_RIGHT		12
#define L_TOP		14
#define L_BOTTOM	34
#define LEGEND_H	18

/* Bars: a row is a label line, then the bar and its value. */
#define BW		360
#define BAR_MAX		260
#define ROW_H		34
#define MORE_W		12	/* a lower bound's bar: its open end */

/* Small multiples: a panel each. */
#define MW		200
#define MH		120
#define M_LEFT		34
#define M_RIGHT		8
#define M_TOP		10
#define M_BOTTOM	22

#define GAP_W		10	/* between the upright gap labels of a point */
#define CHAR_W		6.6	/* an estimate of a digit's width at 11 units */

static const char *const strokes[] = {
	"#1a1a1a", "#0b4f8a", "#8a3b00", "#2f5e1e"
};
static const char *const dashes[] = { "", "7 3", "2 3", "9 3 2 3" };
#define NSTYLES	4

/* Text for XML: escaped, C0 controls (invalid in XML 1.0) as spaces. */
void
chart_xml_text(struct strbuf *out, const char *s)
{
	const unsigned char	*p;
	const char		*rep;
	size_t			start, i;

	if (s == NULL)
		return;
	p = (const unsigned char *)s;
	for (i = 0, start = 0; p[i] != '\0'; i++) {
		switch (p[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			if (p[i] >= 0x20)
				continue;
			rep = " ";
		}
		strbuf_append(out, s + start, i - start);
		strbuf_appends(out, rep);
		start = i + 1;
	}
	strbuf_append(out, s + start, i - start);
}

/* 1234.5 as "1.234,5" (de) or "1,234.5" (en), `decimals` places. */
void
chart_number(char *buf, size_t len, double v, int decimals, enum lang l)
{
	char	raw[64], *dot, *p;
	size_t	intlen, i, o;

	if (len == 0)
		return;
	if (decimals < 0 || decimals > 6)
		decimals = 0;
	if (!isfinite(v))
		v = 0;
	(void)snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	dot = strchr(raw, '.');
	p = raw;
	o = 0;
	if (*p == '-') {
		if (o + 1 < len)
			buf[o++] = '-';
		p++;
	}
	intlen = dot != NULL ? (size_t)(dot - p) : strlen(p);
	for (i = 0; i < intlen && o + 2 < len; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			buf[o++] = (l == LANG_EN) ? ',' : '.';
		buf[o++] = p[i];
	}
	if (dot != NULL && o + 1 < len) {
		buf[o++] = (l == LANG_EN) ? '.' : ',';
		for (p = dot + 1; *p != '\0' && o + 1 < len; p++)
			buf[o++] = *p;
	}
	buf[o] = '\0';
}

static const char *
withheld(const struct chart *c)
{
	return (c->hidden != NULL ? c->hidden : "withheld");
}

static int
is_hidden(const struct chart_series *s, int i)
{
	return (s->hidden != NULL && s->hidden[i]);
}

static double
value_at(const struct chart_series *s, int i)
{
	double	v;

	v = s->v[i];
	return (isfinite(v) && v > 0 ? v : 0);
}

/* The largest value a chart shows (target included). */
static double
chart_max(const struct chart *c)
{
	double	m;
	int	i, j;

	m = c->target != NULL && isfinite(*c->target) ? *c->target : 0;
	for (i = 0; i < c->nseries; i++)
		for (j = 0; j < c->npoints; j++)
			if (!is_hidden(&c->series[i], j) &&
			    value_at(&c->series[i], j) > m)
				m = value_at(&c->series[i], j);
	return (m);
}

/* The axis top: 1, 2 or 5 times a power of ten, at least `m`. */
static double
nice_max(double m)
{
	double	p, f;

	if (!(m > 0))
		return (1);
	p = pow(10, floor(log10(m)));
	f = m / p;
	if (f <= 1)
		f = 1;
	else if (f <= 2)
		f = 2;
	else if (f <= 5)
		f = 5;
	else
		f = 10;
	return (f * p);
}

/* A safe id: [A-Za-z0-9_-] of the caller's, else "chart". */
static void
put_id(struct strbuf *out, const char *id, const char *suffix)
{
	const char	*p;

	if (id == NULL || *id == '\0')
		id = "chart";
	for (p = id; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
			strbuf_append(out, p, 1);
		else
			strbuf_appends(out, "_");
	}
	strbuf_appends(out, suffix);
}

static int
is_lower(const struct chart_series *s, int i)
{
	return (s->lower != NULL && s->lower[i] && !is_hidden(s, i));
}

/*
 * A value as text: the number; a lower bound as "≥ 12" on the chart and
 * in words in the desc ("mind. 12", read aloud better); the withheld
 * label.
 */
static void
put_value(struct strbuf *out, const struct chart *c,
    const struct chart_series *s, int i, int in_desc)
{
	char	num[64];

	if (is_hidden(s, i)) {
		chart_xml_text(out, withheld(c));
		return;
	}
	chart_number(num, sizeof(num), s->v[i], c->decimals, c->lang);
	if (is_lower(s, i) && in_desc) {
		chart_xml_text(out, c->at_least != NULL ? c->at_least :
		    "at least");
		strbuf_appends(out, " ");
	} else if (is_lower(s, i))
		strbuf_appends(out, "\xe2\x89\xa5 ");
	strbuf_appends(out, num);
}

/*
 * The <desc>: the caller's lead, then every number of every series, with
 * the withheld ones as the withheld label, and the target.
 */
static void
put_desc(struct strbuf *out, const struct chart *c)
{
	char	num[64];
	int	i, j;

	strbuf_appends(out, "<desc id=\"");
	put_id(out, c->id, "-desc\">");
	if (c->desc != NULL && *c->desc != '\0') {
		chart_xml_text(out, c->desc);
		strbuf_appends(out, ". ");
	}
	for (i = 0; i < c->nseries; i++) {
		if (c->series[i].name != NULL) {
			chart_xml_text(out, c->series[i].name);
			strbuf_appends(out, ": ");
		}
		for (j = 0; j < c->npoints; j++) {
			if (j > 0)
				strbuf_appends(out, "; ");
			chart_xml_text(out, c->labels[j]);
			strbuf_appends(out, " ");
			put_value(out, c, &c->series[i], j, 1);
		}
		strbuf_appends(out, ". ");
	}
	if (c->target != NULL && isfinite(*c->target)) {
		chart_xml_text(out, c->target_label != NULL ?
		    c->target_label : "Target");
		chart_number(num, sizeof(num), *c->target, c->decimals,
		    c->lang);
		strbuf_appendf(out, ": %s.", num);
	}
	strbuf_appends(out, "</desc>\n");
}

static void
put_open(struct strbuf *out, const struct chart *c, int w, double h,
    const char *cls)
{
	strbuf_appendf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"%s\" viewBox=\"0 0 %d %.0f\" width=\"100%%\" "
	    "role=\"img\" focusable=\"false\" aria-labelledby=\"", cls, w, h);
	put_id(out, c->id, "-title ");
	put_id(out, c->id, "-desc\">\n<title id=\"");
	put_id(out, c->id, "-title\">");
	chart_xml_text(out, c->title);
	strbuf_appends(out, "</title>\n");
	put_desc(out, c);
}

/*
 * A marker of shape `k` (circle, square, triangle, diamond), inside a <g>
 * that carries the series' fill and stroke (open_markers): written once
 * per series, not per point, which keeps a page of small multiples light.
 */
static void
put_marker(struct strbuf *out, int k, double x, double y, int hollow)
{
	switch (k % NSTYLES) {
	case 0:
		strbuf_appendf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"",
		    x, y);
		break;
	case 1:
		strbuf_appendf(out, "<rect x=\"%.1f\" y=\"%.1f\" "
		    "width=\"6\" height=\"6\"", x - 3, y - 3);
		break;
	case 2:
		strbuf_appendf(out, "<path d=\"M%.1f %.1fl3.5 6h-7z\"",
		    x, y - 4);
		break;
	default:
		strbuf_appendf(out, "<path d=\"M%.1f %.1fl4 4-4 4-4-4z\"",
		    x, y - 4);
	}
	strbuf_appends(out, hollow ? " fill=\"#fff\"/>\n" : "/>\n");
}

static void
open_markers(struct strbuf *out, int k)
{
	strbuf_appendf(out, "<g fill=\"%s\" stroke=\"%s\">\n",
	    strokes[k % NSTYLES], strokes[k % NSTYLES]);
}

/* The plot area of a line chart or a panel. */
struct frame {
	double	left, top, width, height, max;
	int	label_every;
	int	small;
};

static double
frame_x(const struct frame *f, const struct chart *c, int i)
{
	double	lo, hi;

	if (c->x != NULL && c->npoints > 1) {
		lo = c->x[0];
		hi = c->x[c->npoints - 1];
		if (hi > lo)
			return (f->left + f->width * (c->x[i] - lo) / (hi - lo));
	}
	if (c->npoints < 2)
		return (f->left + f->width / 2);
	return (f->left + f->width * i / (c->npoints - 1));
}

static double
frame_y(const struct frame *f, double v)
{
	if (v > f->max)
		v = f->max;
	return (f->top + f->height - f->height * (v > 0 ? v : 0) / f->max);
}

/*
 * Gridlines with their values, and the x labels that fit.  The first label
 * is centred on its point like the rest (the left margin has room for
 * it): anchored at its start it ran into the second.  The last is
 * anchored at its end so that it stays inside the viewBox.
 */
/*
 * Grid lines at round steps: the axis top is 1, 2 or 5 times a power of
 * ten (nice_max), so 5, 4 and 5 steps of 0.2, 0.5 and 1 times that power.
 */
static int
axis_ticks(double max)
{
	double	lead;

	lead = max / pow(10, floor(log10(max)));
	return (lead > 1.5 && lead < 3 ? 4 : 5);
}

/* Places after the point that a step of the grid needs. */
static int
axis_decimals(double step)
{
	int	d;

	for (d = 0; d < 6 && step < 1 - 1e-9; d++)
		step *= 10;
	return (d);
}

/*
 * The value axis (grid lines, the base line darker) and the labels of
 * both axes.  Lines and labels share their paint in a <g> each.
 */
static void
put_axes(struct strbuf *out, const struct chart *c, const struct frame *f)
{
	char	num[64];
	double	y, v;
	int	t, i, size, ticks, places;

	size = f->small ? 10 : 11;
	ticks = axis_ticks(f->max);
	places = axis_decimals(f->max / ticks);
	strbuf_appendf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
	    "y2=\"%.1f\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>\n",
	    f->left, frame_y(f, 0), f->left + f->width, frame_y(f, 0));
	strbuf_appends(out, "<g stroke=\"#bbb\" stroke-width=\"0.5\">\n");
	for (t = 1; t <= ticks; t++) {
		/* A panel is labelled at 0 and its top only: one line there. */
		if (f->small && t != ticks)
			continue;
		y = frame_y(f, f->max * t / ticks);
		strbuf_appendf(out, "<line x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\"/>\n", f->left, y,
		    f->left + f->width, y);
	}
	strbuf_appendf(out, "</g>\n<g font-size=\"%d\" fill=\"#1a1a1a\" "
	    "text-anchor=\"end\">\n", size);
	for (t = 0; t <= ticks; t++) {
		if (f->small && t != ticks && t != 0)
			continue;
		v = f->max * t / ticks;
		chart_number(num, sizeof(num), v, places, c->lang);
		strbuf_appendf(out, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
		    f->left - 4, frame_y(f, v) + 4, num);
	}
	for (i = 0; i < c->npoints; i++) {
		if (i % f->label_every != 0 && i != c->npoints - 1)
			continue;
		if (i != c->npoints - 1 && c->npoints - 1 - i <
		    f->label_every && i != 0)
			continue;
		strbuf_appendf(out, "<text x=\"%.1f\" y=\"%.1f\"%s>",
		    frame_x(f, c, i), f->top + f->height + size + 5,
		    i == c->npoints - 1 && c->npoints > 1 ? "" :
		    " text-anchor=\"middle\"");
		chart_xml_text(out, c->labels[i]);
		strbuf_appends(out, "</text>\n");
	}
	strbuf_appends(out, "</g>\n");
}

/*
 * Where series k's gap label at point i goes: the series withheld there
 * stand side by side, centred on the point, so two gaps do not overprint.
 */
static double
gap_offset(const struct chart *c, int k, int i)
{
	int	j, before, n;

	for (j = 0, before = 0, n = 0; j < c->nseries; j++) {
		if (!is_hidden(&c->series[j], i))
			continue;
		if (j < k)
			before++;
		n++;
	}
	return (GAP_W * before - GAP_W * (n - 1) / 2.0);
}

/*
 * A small panel marks only what its line does not show: a lower bound
 * (hollow) and a point with no shown neighbour (no line to it).  A full
 * chart marks every point, its shape telling the series apart.
 */
static int
needs_marker(const struct chart *c, const struct frame *f,
    const struct chart_series *s, int i)
{
	if (!f->small)
		return (1);
	if (is_lower(s, i))
		return (1);
	return ((i == 0 || is_hidden(s, i - 1)) &&
	    (i == c->npoints - 1 || is_hidden(s, i + 1)));
}

/*
 * One series: a path broken at every withheld point, a marker at each
 * shown one, and the withheld label where a hidden one would be, written
 * upwards from the axis (a word is wider than the space between months),
 * on a white halo so that it stays legible where a line crosses it.
 */
static void
put_series(struct strbuf *out, const struct chart *c, const struct frame *f,
    int k)
{
	const struct chart_series	*s;
	double				x, y;
	int				i, pen;

	s = &c->series[k];
	strbuf_appendf(out, "<path fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"2\"%s%s%s d=\"", strokes[k % NSTYLES],
	    *dashes[k % NSTYLES] ? " stroke-dasharray=\"" : "",
	    dashes[k % NSTYLES], *dashes[k % NSTYLES] ? "\"" : "");
	for (i = 0, pen = 0; i < c->npoints; i++) {
		if (is_hidden(s, i)) {
			pen = 0;
			continue;
		}
		strbuf_appendf(out, "%s%.1f %.1f", pen ? "L" : "M",
		    frame_x(f, c, i), frame_y(f, value_at(s, i)));
		pen = 1;
	}
	strbuf_appends(out, "\"/>\n");
	for (i = 0, pen = 0; i < c->npoints; i++) {
		if (is_hidden(s, i) || !needs_marker(c, f, s, i))
			continue;
		if (pen++ == 0)
			open_markers(out, k);
		put_marker(out, k, frame_x(f, c, i),
		    frame_y(f, value_at(s, i)), is_lower(s, i));
	}
	if (pen > 0)
		strbuf_appends(out, "</g>\n");
	for (i = 0; i < c->npoints; i++) {
		if (!is_hidden(s, i))
			continue;
		x = frame_x(f, c, i) + gap_offset(c, k, i) + 3;
		y = f->top + f->height - 3;
		strbuf_appendf(out, "<text x=\"%.1f\" y=\"%.1f\" "
		    "transform=\"rotate(-90 %.1f %.1f)\" font-size=\"9\" "
		    "fill=\"%s\" stroke=\"#fff\" stroke-width=\"3\" "
		    "paint-order=\"stroke\" class=\"chart-gap\">", x, y, x, y,
		    strokes[k % NSTYLES]);
		chart_xml_text(out, withheld(c));
		strbuf_appends(out, "</text>\n");
	}
}

static void
put_target(struct strbuf *out, const struct chart *c, const struct frame *f)
{
	char	num[64];
	double	y;

	if (c->target == NULL || !isfinite(*c->target))
		return;
	y = frame_y(f, *c->target);
	strbuf_appendf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
	    "y2=\"%.1f\" stroke=\"#1a1a1a\" stroke-width=\"1.5\" "
	    "stroke-dasharray=\"4 4\" class=\"chart-target\"/>\n",
	    f->left, y, f->left + f->width, y);
	chart_number(num, sizeof(num), *c->target, c->decimals, c->lang);
	strbuf_appendf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
	    "font-size=\"11\" fill=\"#1a1a1a\">", f->left + f->width, y - 4);
	chart_xml_text(out, c->target_label != NULL ? c->target_label :
	    "Target");
	strbuf_appendf(out, " %s</text>\n", num);
}

/* One legend row per series: its stroke and marker, then its name. */
static void
put_legend(struct strbuf *out, const struct chart *c, double y0)
{
	double	y;
	int	k;

	for (k = 0; k < c->nseries; k++) {
		y = y0 + LEGEND_H * k;
		strbuf_appendf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s%s%s/>\n",
		    L_LEFT, y, L_LEFT + 28, y, strokes[k % NSTYLES],
		    *dashes[k % NSTYLES] ? " stroke-dasharray=\"" : "",
		    dashes[k % NSTYLES], *dashes[k % NSTYLES] ? "\"" : "");
		open_markers(out, k);
		put_marker(out, k, L_LEFT + 14, y, 0);
		strbuf_appends(out, "</g>\n");
		strbuf_appendf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" "
		    "fill=\"#1a1a1a\">", L_LEFT + 36, y + 4);
		chart_xml_text(out, c->series[k].name);
		strbuf_appends(out, "</text>\n");
	}
}

static int
label_every(const struct chart *c, double width, int small)
{
	size_t	longest, n;
	int	i, every;

	longest = 1;
	for (i = 0; i < c->npoints; i++) {
		n = c->labels[i] != NULL ? strlen(c->labels[i]) : 0;
		if (n > longest)
			longest = n;
	}
	if (small)
		return (c->npoints > 1 ? c->npoints - 1 : 1);
	if (c->npoints < 2)
		return (1);
	every = (int)ceil((longest * CHAR_W + 8) /
	    (width / (c->npoints - 1)));
	return (every < 1 ? 1 : every);
}

void
chart_lines(struct strbuf *out, const struct chart *c)
{
	struct frame	f;
	int		k;
	double		h;

	h = LH + (c->nseries > 1 ? LEGEND_H * c->nseries + 4 : 0);
	put_open(out, c, LW, h, "chart chart-lines");
	f.left = L_LEFT;
	f.top = L_TOP;
	f.width = LW - L_LEFT - L_RIGHT;
	f.height = LH - L_TOP - L_BOTTOM;
	f.max = nice_max(chart_max(c));
	f.small = 0;
	f.label_every = label_every(c, f.width, 0);
	put_axes(out, c, &f);
	put_target(out, c, &f);
	for (k = 0; k < c->nseries; k++)
		put_series(out, c, &f, k);
	if (c->nseries > 1)
		put_legend(out, c, LH + 8);
	strbuf_appends(out, "</svg>\n");
}

/*
 * Bars of the first series, one row per category: the label on its own
 * line (long district names fit at 320 px), the bar below it with its value
 * after it.  A withheld category has no bar: its value reads the withheld
 * label.  A lower bound is drawn to the bound, labelled "≥ n", its bar
 * hatched open at the end so it does not read as the whole.
 */
void
chart_bars(struct strbuf *out, const struct chart *c)
{
	const struct chart_series	*s;
	double				max, w, y;
	int				i;

	put_open(out, c, BW, (double)ROW_H * c->npoints + 6,
	    "chart chart-bars");
	if (c->nseries < 1) {
		strbuf_appends(out, "</svg>\n");
		return;
	}
	s = &c->series[0];
	max = chart_max(c);
	for (i = 0; i < c->npoints; i++) {
		y = (double)ROW_H * i;
		strbuf_appendf(out, "<text x=\"0\" y=\"%.1f\" font-size=\"12\" "
		    "fill=\"#1a1a1a\">", y + 12);
		chart_xml_text(out, c->labels[i]);
		strbuf_appends(out, "</text>\n");
		w = is_hidden(s, i) || !(max > 0) ? 0 :
		    BAR_MAX * value_at(s, i) / max;
		if (w > 0)
			strbuf_appendf(out, "<rect x=\"0\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"12\" fill=\"#0b4f8a\" "
			    "stroke=\"#1a1a1a\" stroke-width=\"0.5\" "
			    "class=\"chart-bar\"/>\n", y + 16, w);
		if (is_lower(s, i)) {
			strbuf_appendf(out, "<rect x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%d\" height=\"12\" fill=\"none\" "
			    "stroke=\"#1a1a1a\" stroke-width=\"0.8\" "
			    "stroke-dasharray=\"2 2\" class=\"chart-more\"/>\n",
			    w, y + 16, MORE_W);
			w += MORE_W;
		}
		strbuf_appendf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
		    "fill=\"#1a1a1a\"%s>", w + 4, y + 26,
		    is_hidden(s, i) ? " class=\"chart-gap\"" : "");
		put_value(out, c, s, i, 0);
		strbuf_appends(out, "</text>\n");
	}
	strbuf_appends(out, "</svg>\n");
}

/*
 * Small multiples: each panel a small line chart of its own (its own
 * title and desc), all on the scale of the largest, inside one <div> that
 * the style sheet lays out as a grid.  `caption` heads the group.
 */
void
chart_multiples(struct strbuf *out, const struct chart *panels, int n,
    const char *caption)
{
	struct frame	f;
	double		max, m;
	int		i, k;

	max = 0;
	for (i = 0; i < n; i++) {
		m = chart_max(&panels[i]);
		if (m > max)
			max = m;
	}
	strbuf_appends(out, "<div class=\"chart-multiples\" role=\"group\"");
	if (caption != NULL) {
		strbuf_appends(out, " aria-label=\"");
		chart_xml_text(out, caption);
		strbuf_appends(out, "\"");
	}
	strbuf_appends(out, ">\n");
	f.left = M_LEFT;
	f.top = M_TOP + 14;
	f.width = MW - M_LEFT - M_RIGHT;
	f.height = MH - f.top - M_BOTTOM;
	f.max = nice_max(max);
	f.small = 1;
	for (i = 0; i < n; i++) {
		put_open(out, &panels[i], MW, MH, "chart chart-multiple");
		strbuf_appendf(out, "<text x=\"0\" y=\"%d\" font-size=\"12\" "
		    "font-weight=\"bold\" fill=\"#1a1a1a\"", M_TOP + 2);
		/*
		 * A long name ("Environment and Climate Protection") would
		 * run past the panel and be cut off: squeeze it to fit.  At
		 * 12 px bold a character is about 7 px wide.
		 */
		if (panels[i].title != NULL && utf8_length(panels[i].title,
		    strlen(panels[i].title)) * 7 > MW - 2)
			strbuf_appendf(out, " textLength=\"%d\" "
			    "lengthAdjust=\"spacingAndGlyphs\"", MW - 2);
		strbuf_appends(out, ">");
		chart_xml_text(out, panels[i].title);
		strbuf_appends(out, "</text>\n");
		f.label_every = label_every(&panels[i], f.width, 1);
		put_axes(out, &panels[i], &f);
		for (k = 0; k < panels[i].nseries; k++)
			put_series(out, &panels[i], &f, k);
		strbuf_appends(out, "</svg>\n");
	}
	strbuf_appends(out, "</div>\n");
}
