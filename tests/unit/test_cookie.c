/* cookie.c: finding and formatting cookies. */
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
cookies(void)
{
	char	v[16];

	CHECK(cookie_find("a=1; mw_session=abc; b=2", "mw_session", v,
	    sizeof(v)));
	CHECK_STR(v, "abc");
	CHECK(cookie_find("mw_session=x", "mw_session", v, sizeof(v)));
	CHECK_STR(v, "x");
	CHECK(!cookie_find("xmw_session=abc", "mw_session", v, sizeof(v)));
	CHECK(!cookie_find("mw_session=0123456789abcdefghij", "mw_session", v,
	    sizeof(v)));
	CHECK(!cookie_find("", "mw_session", v, sizeof(v)));
	CHECK(cookie_find("a=1;b=2", "b", v, sizeof(v)));
	CHECK_STR(v, "2");
}

static void
cookie_flags(void)
{
	char	c[200];

	cookie_format(c, sizeof(c), "mw_session", "tok", 43200, 0);
	CHECK_STR(c, "mw_session=tok; Path=/; Max-Age=43200; HttpOnly; "
	    "SameSite=Lax");
	cookie_format(c, sizeof(c), "__Host-mw_session", "", 0, 1);
	CHECK_STR(c, "__Host-mw_session=; Path=/; Max-Age=0; HttpOnly; "
	    "SameSite=Lax; Secure");
}

UNIT_SUITE(cookie_tests) = {
	{ "cookie: cookie parsing", cookies },
	{ "cookie: session cookie attributes, with and without TLS",
	    cookie_flags },
	{ NULL, NULL }
};
