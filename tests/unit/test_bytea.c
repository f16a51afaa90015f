/* bytea.c: PostgreSQL bytea in hex form. */
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
bytea(void)
{
	unsigned char	in[3] = { 0x00, 0xab, 0xff }, out[8];
	char		hex[16];
	size_t		n;

	bytea_hex(in, 3, hex, sizeof(hex));
	CHECK_STR(hex, "\\x00abff");
	CHECK(bytea_parse(hex, out, sizeof(out), &n) && n == 3 &&
	    memcmp(in, out, 3) == 0);
	CHECK(!bytea_parse("00ab", out, sizeof(out), &n));
}

UNIT_SUITE(bytea_tests) = {
	{ "bytea: bytea hex", bytea },
	{ NULL, NULL }
};
