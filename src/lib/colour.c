/*
 * The city's colours: "#rrggbb" only, checked against white by the WCAG
 * 2.1 contrast ratio (1.4.3: at least 4.5:1 for text, which the primary
 * colour carries as button background under white text, and links on
 * the white page), and the favicon drawn in the primary colour.
 */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

int
colour_parse(const char *s, unsigned char rgb[3])
{
	int	i, hi, lo;

	if (s == NULL || strlen(s) != 7 || s[0] != '#')
		return (MW_ERROR);
	for (i = 0; i < 3; i++) {
		if ((hi = hex_digit(s[1 + 2 * i])) < 0 ||
		    (lo = hex_digit(s[2 + 2 * i])) < 0)
			return (MW_ERROR);
		rgb[i] = (unsigned char)(hi * 16 + lo);
	}
	return (MW_OK);
}

/* WCAG 2.1 relative luminance of an sRGB colour. */
static double
luminance(const unsigned char rgb[3])
{
	static const double	weight[3] = { 0.2126, 0.7152, 0.0722 };
	double			c, l = 0;
	int			i;

	for (i = 0; i < 3; i++) {
		c = rgb[i] / 255.0;
		c = c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
		l += weight[i] * c;
	}
	return (l);
}

double
colour_contrast(const unsigned char a[3], const unsigned char b[3])
{
	double	la = luminance(a), lb = luminance(b);

	return (la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) /
	    (la + 0.05));
}

/*
 * MW_OK when s is "#rrggbb" with at least COLOUR_MIN_CONTRAST against
 * white; else MW_ERROR and why in reason: a fixed sentence, so that the
 * pages can translate it (t.reasons).
 */
int
colour_check(const char *s, char *reason, size_t len)
{
	static const unsigned char	white[3] = { 255, 255, 255 };
	unsigned char			rgb[3];
	double				r;

	if (!colour_parse(s, rgb)) {
		(void)snprintf(reason, len, "must be a colour as #rrggbb");
		return (MW_ERROR);
	}
	r = colour_contrast(rgb, white);
	if (r < COLOUR_MIN_CONTRAST) {
		(void)snprintf(reason, len, "has too little contrast against "
		    "white: at least 4.5:1 is needed");
		return (MW_ERROR);
	}
	return (MW_OK);
}

#define ICON	32
#define ICO_HEAD	(6 + 16)
#define BMP_HEAD	40
#define ICO_PIXELS	(ICON * ICON * 4)
#define ICO_MASK	(ICON * 4)	/* 1 bit a pixel, rows of 4 bytes */

static void
le16(unsigned char *p, unsigned v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static void
le32(unsigned char *p, unsigned long v)
{
	le16(p, v & 0xffff);
	le16(p + 2, (v >> 16) & 0xffff);
}

/*
 * Inside a rounded square (corner radius 6) and in the white ring of
 * radius 6..10 around the centre: the icon, a speech bubble's simplest
 * form, legible at 16 px.
 */
static int
pixel(int x, int y, int *white)
{
	double	cx = x + 0.5 - ICON / 2.0, cy = y + 0.5 - ICON / 2.0;
	double	d = sqrt(cx * cx + cy * cy), ex, ey;
	int	r = 6;

	ex = x < r ? r - x - 0.5 : x >= ICON - r ? x - (ICON - r) + 0.5 : 0;
	ey = y < r ? r - y - 0.5 : y >= ICON - r ? y - (ICON - r) + 0.5 : 0;
	*white = d >= 6 && d <= 10;
	return (ex * ex + ey * ey <= r * r);
}

/* A 32×32 icon (ICO holding a 32-bit BMP); FAVICON_ICO_LEN bytes. */
void
favicon_ico(const unsigned char rgb[3], unsigned char out[FAVICON_ICO_LEN])
{
	unsigned char	*px;
	int		x, y, in, white;

	memset(out, 0, FAVICON_ICO_LEN);
	le16(out + 2, 1);			/* type: icon */
	le16(out + 4, 1);			/* one image */
	out[6] = ICON;
	out[7] = ICON;
	le16(out + 10, 1);			/* planes */
	le16(out + 12, 32);			/* bits per pixel */
	le32(out + 14, BMP_HEAD + ICO_PIXELS + ICO_MASK);
	le32(out + 18, ICO_HEAD);
	px = out + ICO_HEAD;
	le32(px, BMP_HEAD);
	le32(px + 4, ICON);
	le32(px + 8, ICON * 2);			/* the colours and the mask */
	le16(px + 12, 1);
	le16(px + 14, 32);
	le32(px + 20, ICO_PIXELS + ICO_MASK);
	px += BMP_HEAD;
	/* Bottom-up rows, BGRA; the AND mask stays 0: alpha decides. */
	for (y = 0; y < ICON; y++) {
		for (x = 0; x < ICON; x++, px += 4) {
			in = pixel(x, ICON - 1 - y, &white);
			px[0] = white ? 255 : rgb[2];
			px[1] = white ? 255 : rgb[1];
			px[2] = white ? 255 : rgb[0];
			px[3] = in ? 255 : 0;
		}
	}
}

/* The same icon as SVG, for browsers that prefer it. */
void
favicon_svg(const unsigned char rgb[3], struct strbuf *out)
{
	strbuf_appendf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" rx=\"6\" "
	    "fill=\"#%02x%02x%02x\"/><circle cx=\"16\" cy=\"16\" r=\"8\" "
	    "fill=\"none\" stroke=\"#fff\" stroke-width=\"4\"/></svg>\n",
	    rgb[0], rgb[1], rgb[2]);
}
