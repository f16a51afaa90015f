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

static void
sequence(void)
{
	unsigned char	seed[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	char		a[33], b[33];

	reqid_seed(seed, sizeof(seed));
	reqid_next(a, sizeof(a));
	reqid_next(b, sizeof(b));
	CHECK_STR(a, "01020304050607080000000000000001");
	CHECK_STR(b, "01020304050607080000000000000002");
	CHECK(reqid_valid(a));
}

UNIT_SUITE(reqid_tests) = {
	{ "reqid: generation and validation", ids },
	{ "reqid: per-process prefix and counter", sequence },
	{ NULL, NULL }
};
