/* desk.c: the desk's cursor check and its dates with time. */
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
cursor(void)
{
	CHECK(desk_cursor_ok("0.1764709620000000.0.17"));
	CHECK(desk_cursor_ok("-3.-1764709620000000.-1.-17"));
	CHECK(desk_cursor_ok("9999999999999999.0.0.9007199254740991"));
	CHECK(!desk_cursor_ok(NULL));
	CHECK(!desk_cursor_ok(""));
	CHECK(!desk_cursor_ok("1.2.3"));
	CHECK(!desk_cursor_ok("1.2.3.4.5"));
	CHECK(!desk_cursor_ok("1.2.3.4."));
	CHECK(!desk_cursor_ok("1..3.4"));
	CHECK(!desk_cursor_ok("1.2.3.-"));
	CHECK(!desk_cursor_ok("1.2.3.x"));
	CHECK(!desk_cursor_ok("+1.2.3.4"));
	CHECK(!desk_cursor_ok("1.2.3.4 "));
	/* 17 digits would overflow what SQL casts safely. */
	CHECK(!desk_cursor_ok("1.2.3.12345678901234567"));
	CHECK(!desk_cursor_ok("--1.2.3.4"));
}

static void
when(void)
{
	char	out[64];

	desk_when("2026-12-02T22:07", LANG_DE, out, sizeof(out));
	CHECK_STR(out, "2. Dezember 2026, 22:07");
	desk_when("2026-03-31T08:05", LANG_DE, out, sizeof(out));
	CHECK_STR(out, "31. März 2026, 08:05");
	desk_when("2026-12-02T22:07", LANG_EN, out, sizeof(out));
	CHECK_STR(out, "2 December 2026, 22:07");
	desk_when("2026-13-02T22:07", LANG_DE, out, sizeof(out));
	CHECK_STR(out, "2026-13-02T22:07");
	desk_when("2026-12-02", LANG_DE, out, sizeof(out));
	CHECK_STR(out, "2026-12-02");
	desk_when(NULL, LANG_DE, out, sizeof(out));
	CHECK_STR(out, "");
	desk_when("2026-12-02T22:07", LANG_DE, out, 8);
	CHECK(strlen(out) == 7);
}

UNIT_SUITE(desk_tests) = {
	{ "desk cursor", cursor },
	{ "desk when", when },
	{ NULL, NULL }
};
