/* desk.c: the desk's cursor check. */
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

UNIT_SUITE(desk_tests) = {
	{ "desk cursor", cursor },
	{ NULL, NULL }
};
