/* colour.c: colours, WCAG contrast, the favicon. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
parsing(void)
{
	unsigned char	rgb[3];

	CHECK(colour_parse("#005a8C", rgb) && rgb[0] == 0 && rgb[1] == 0x5a &&
	    rgb[2] == 0x8c);
	CHECK(!colour_parse("005a8c", rgb));
	CHECK(!colour_parse("#05a", rgb));
	CHECK(!colour_parse("#005a8g", rgb));
	CHECK(!colour_parse("#005a8c0", rgb));
	CHECK(!colour_parse("red", rgb));
	CHECK(!colour_parse(NULL, rgb));
}

/* Known ratios (WebAIM's checker gives the same to two decimals). */
static void
contrast(void)
{
	static const unsigned char	white[3] = { 255, 255, 255 };
	static const unsigned char	black[3] = { 0, 0, 0 };
	unsigned char			c[3];
	char				why[120];

	CHECK(fabs(colour_contrast(black, white) - 21.0) < 1e-9);
	CHECK(fabs(colour_contrast(white, white) - 1.0) < 1e-9);
	CHECK(colour_parse("#767676", c) &&
	    fabs(colour_contrast(c, white) - 4.54) < 0.01);
	CHECK(colour_parse("#777777", c) &&
	    fabs(colour_contrast(c, white) - 4.48) < 0.01);
	CHECK(colour_parse("#005a8c", c) &&
	    fabs(colour_contrast(white, c) - 7.39) < 0.01);
	CHECK(colour_check("#767676", why, sizeof(why)));
	CHECK(colour_check("#000000", why, sizeof(why)));
	CHECK(!colour_check("#777777", why, sizeof(why)));
	CHECK_STR(why, "has too little contrast against white: at least "
	    "4.5:1 is needed");
	CHECK(!colour_check("#ffff00", why, sizeof(why)));
	CHECK(!colour_check("blue", why, sizeof(why)));
	CHECK_STR(why, "must be a colour as #rrggbb");
}

static void
icons(void)
{
	static const unsigned char	blue[3] = { 0, 0x5a, 0x8c };
	unsigned char			ico[FAVICON_ICO_LEN], *px;
	struct strbuf			svg;

	favicon_ico(blue, ico);
	/* ICONDIR: reserved 0, type 1, one image, 32×32 at offset 22. */
	CHECK(ico[0] == 0 && ico[2] == 1 && ico[4] == 1);
	CHECK(ico[6] == 32 && ico[7] == 32 && ico[18] == 22);
	CHECK(ico[22] == 40 && ico[30] == 64);	/* BMP header, height × 2 */
	/* The corner is transparent; the middle of an edge is the colour. */
	px = ico + 22 + 40;
	CHECK(px[3] == 0);
	px = ico + 22 + 40 + (16 * 32 + 1) * 4;
	CHECK(px[3] == 255 && px[0] == 0x8c && px[1] == 0x5a && px[2] == 0);
	strbuf_init(&svg, 64);
	favicon_svg(blue, &svg);
	CHECK(strstr(svg.data, "fill=\"#005a8c\"") != NULL);
	strbuf_free(&svg);
}

UNIT_SUITE(colour_tests) = {
	{ "colour: parsing", parsing },
	{ "colour: contrast against white", contrast },
	{ "colour: favicon", icons },
	{ NULL, NULL }
};
