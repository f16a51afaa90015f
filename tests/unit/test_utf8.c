/* utf8.c: accepted text and lengths in characters. */
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
utf8(void)
{
	CHECK(utf8_valid_text("Grünanlagen", strlen("Grünanlagen")));
	CHECK(utf8_valid_text("\xf0\x9f\x98\x80", 4));
	CHECK(!utf8_valid_text("\xc3", 1));
	CHECK(!utf8_valid_text("\xc0\xaf", 2));		/* overlong '/' */
	CHECK(!utf8_valid_text("\xed\xa0\x80", 3));	/* surrogate */
	CHECK(!utf8_valid_text("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	CHECK(!utf8_valid_text("a\x01", 2));
	CHECK(!utf8_valid_text("a\x7f", 2));
	CHECK(utf8_valid_text("a\tb\r\n", 5));
}

static void
lengths(void)
{
	/* Characters, not bytes: every limit a person reads counts these. */
	CHECK(utf8_length("", 0) == 0);
	CHECK(utf8_length("Straße", strlen("Straße")) == 6);
	CHECK(utf8_length("\xf0\x9f\x98\x80!", 5) == 2);
}

UNIT_SUITE(utf8_tests) = {
	{ "utf8: lengths in characters", lengths },
	{ "utf8: strict utf-8", utf8 },
	{ NULL, NULL }
};
