#include "mitwirken.h"
#include "unit.h"

static void
accepted(void)
{
	CHECK(nextpath_ok("/"));
	CHECK(nextpath_ok("/ideen/12"));
	CHECK(nextpath_ok("/ideen/12?lang=en#unterstuetzen"));
	CHECK(nextpath_ok("/umfragen/stadtgruen?lang=de"));
	CHECK(nextpath_ok("/ideen?q=%2F%2Fevil"));
}

static void
refused(void)
{
	char	longpath[NEXTPATH_MAX + 2];

	CHECK(!nextpath_ok(NULL));
	CHECK(!nextpath_ok(""));
	CHECK(!nextpath_ok("ideen/12"));
	CHECK(!nextpath_ok("//evil.example"));
	CHECK(!nextpath_ok("/\\evil.example"));
	CHECK(!nextpath_ok("\\\\evil.example"));
	CHECK(!nextpath_ok("/ideen\\..\\x"));
	CHECK(!nextpath_ok("https://evil.example/"));
	CHECK(!nextpath_ok("javascript:alert(1)"));
	CHECK(!nextpath_ok("/\t/evil.example"));
	CHECK(!nextpath_ok("/\n/evil.example"));
	CHECK(!nextpath_ok("/ideen /x"));
	CHECK(!nextpath_ok("/\xc3\xa4"));
	CHECK(!nextpath_ok("/anmelden?next=/"));
	CHECK(!nextpath_ok("/abmelden"));
	memset(longpath, 'a', sizeof(longpath));
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	CHECK(!nextpath_ok(longpath));
	longpath[NEXTPATH_MAX] = '\0';
	CHECK(nextpath_ok(longpath));
}

static void
why(void)
{
	CHECK_STR(nextpath_why("/ideen/neu?lang=en"), "idea");
	CHECK_STR(nextpath_why("/konto/beitraege"), "account");
	CHECK_STR(nextpath_why("/umfragen/x"), "survey");
	CHECK_STR(nextpath_why("/gremium"), "page");
	CHECK_STR(nextpath_why(NULL), "page");
}

UNIT_SUITE(nextpath_tests) = {
	{ "nextpath: local paths", accepted },
	{ "nextpath: no way to another host", refused },
	{ "nextpath: why sign-in was asked for", why },
	{ NULL, NULL }
};
