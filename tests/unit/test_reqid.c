#include "mitwirken.h"
#include "unit.h"

static void
ids(void)
{
	unsigned char	raw[4] = { 0x00, 0xab, 0x10, 0xff };
	char		out[9];

	reqid_from_bytes(raw, sizeof(raw), out, sizeof(out));
	CHECK_STR(out, "00ab10ff");
	CHECK(reqid_valid("abcdef12"));
	CHECK(reqid_valid("req-2026_11"));
	CHECK(!reqid_valid("short"));
	CHECK(!reqid_valid("has space in it"));
	CHECK(!reqid_valid("evil\r\nheader: x"));
	CHECK(!reqid_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaa"));
}

UNIT_SUITE(reqid_tests) = {
	{ "reqid: generation and validation", ids },
	{ NULL, NULL }
};
