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
origins(void)
{
	CHECK(authz_origin_allowed(NULL, NULL, "https", "x.de"));
	CHECK(authz_origin_allowed("same-origin", "https://x.de", "https", "x.de"));
	CHECK(authz_origin_allowed("none", NULL, "https", "x.de"));
	CHECK(!authz_origin_allowed("cross-site", NULL, "https", "x.de"));
	CHECK(!authz_origin_allowed(NULL, "https://evil.de", "https", "x.de"));
	CHECK(!authz_origin_allowed(NULL, "https://x.de.evil.de", "https", "x.de"));
	CHECK(!authz_origin_allowed(NULL, "null", "https", "x.de"));
	CHECK(authz_origin_allowed(NULL, "http://127.0.0.1:8888", "http", "127.0.0.1:8888"));
	CHECK(!authz_origin_allowed(NULL, "http://127.0.0.1:9999", "http", "127.0.0.1:8888"));
	/* The whole origin counts: another scheme is another origin. */
	CHECK(!authz_origin_allowed(NULL, "evil://x.de", "https", "x.de"));
	CHECK(!authz_origin_allowed(NULL, "http://x.de", "https", "x.de"));
	CHECK(!authz_origin_allowed(NULL, "https://x.de", "http", "x.de"));
	CHECK(!authz_origin_allowed(NULL, "://x.de", "http", "x.de"));
	CHECK(!authz_origin_allowed(NULL, "https://x.de", "https", NULL));
}

UNIT_SUITE(authz_tests) = {
	{ "authz: route checks by role", checks },
	{ "authz: origin checks", origins },
	{ NULL, NULL }
};
