#include "mitwirken.h"
#include "unit.h"

static void
checks(void)
{
	struct principal	anon = { 0 }, citizen = { 0 }, admin = { 0 };

	citizen.account_id = 1;
	admin.account_id = 2;
	admin.roles = ROLE_ADMIN;
	CHECK(authz_check(&anon, AUTH_NONE, 0) == 0);
	CHECK(authz_check(&anon, AUTH_OPTIONAL, 0) == 0);
	CHECK(authz_check(&anon, AUTH_REQUIRED, 0) == 401);
	CHECK(authz_check(&citizen, AUTH_REQUIRED, 0) == 0);
	CHECK(authz_check(&citizen, AUTH_REQUIRED, ROLE_CITIZEN) == 0);
	CHECK(authz_check(&citizen, AUTH_REQUIRED, ROLE_ADMIN) == 403);
	CHECK(authz_check(&admin, AUTH_REQUIRED, ROLE_ADMIN) == 0);
	CHECK(authz_check(&admin, AUTH_REQUIRED, ROLE_MODERATOR |
	    ROLE_ADMIN) == 0);
	CHECK(authz_check(&admin, AUTH_REQUIRED, ROLE_PLANNER) == 403);
	CHECK(roles_from_name("staff") == ROLE_STAFF);
	CHECK(roles_from_name("root") == 0);
	CHECK_STR(roles_name(ROLE_BOARD), "board");
}

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
origins(void)
{
	CHECK(authz_origin_allowed(NULL, NULL, "x.de"));
	CHECK(authz_origin_allowed("same-origin", "https://x.de", "x.de"));
	CHECK(authz_origin_allowed("none", NULL, "x.de"));
	CHECK(!authz_origin_allowed("cross-site", NULL, "x.de"));
	CHECK(!authz_origin_allowed(NULL, "https://evil.de", "x.de"));
	CHECK(!authz_origin_allowed(NULL, "https://x.de.evil.de", "x.de"));
	CHECK(!authz_origin_allowed(NULL, "null", "x.de"));
	CHECK(authz_origin_allowed(NULL, "http://127.0.0.1:8888", "127.0.0.1:8888"));
	CHECK(!authz_origin_allowed(NULL, "http://127.0.0.1:9999", "127.0.0.1:8888"));
}

UNIT_SUITE(authz_tests) = {
	{ "authz: route checks by role", checks },
	{ "authz: cookie parsing", cookies },
	{ "authz: origin checks", origins },
	{ NULL, NULL }
};

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

UNIT_SUITE(authz_cookie_tests) = {
	{ "authz: session cookie attributes, with and without TLS",
	    cookie_flags },
	{ NULL, NULL }
};
