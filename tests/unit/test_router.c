#include "mitwirken.h"
#include "unit.h"

static void
static_paths(void)
{
	struct route_match	m;

	CHECK(router_path_match("/", "/", &m));
	CHECK(router_path_match("/api/v1/fields", "/api/v1/fields", &m));
	CHECK(!router_path_match("/api/v1/fields", "/api/v1/fields/", &m));
	CHECK(!router_path_match("/api/v1/fields", "/api/v1/field", &m));
	CHECK(!router_path_match("/api/v1/fields", "/api/v1/fieldsx", &m));
	CHECK(!router_path_match("/", "/x", &m));
	CHECK(!router_path_match("/healthz", "healthz", &m));
}

static void
captures(void)
{
	struct route_match	m;

	CHECK(router_path_match("/api/v1/fields/{slug}",
	    "/api/v1/fields/energie", &m));
	CHECK(m.ncaptures == 1);
	CHECK(m.captures[0].name_len == 4 &&
	    strncmp(m.captures[0].name, "slug", 4) == 0);
	CHECK(m.captures[0].value_len == 7 &&
	    strncmp(m.captures[0].value, "energie", 7) == 0);
	CHECK(!router_path_match("/api/v1/fields/{slug}", "/api/v1/fields/",
	    &m));
	CHECK(!router_path_match("/api/v1/fields/{slug}",
	    "/api/v1/fields/a/b", &m));
	CHECK(router_path_match("/a/{x}/b/{y}", "/a/1/b/2", &m));
	CHECK(m.ncaptures == 2 && m.captures[1].value[0] == '2');
}

static void
methods_and_allow(void)
{
	char	allow[64];

	CHECK(router_method_value("GET") == M_GET);
	CHECK(router_method_value("post") == M_POST);
	CHECK(router_method_value("BREW") == 0);
	router_allow_header(M_GET, allow, sizeof(allow));
	CHECK_STR(allow, "GET, HEAD");
	router_allow_header(M_POST | M_DELETE, allow, sizeof(allow));
	CHECK_STR(allow, "POST, DELETE");
}

UNIT_SUITE(router_tests) = {
	{ "router: static paths", static_paths },
	{ "router: captures", captures },
	{ "router: methods and Allow", methods_and_allow },
	{ NULL, NULL }
};
