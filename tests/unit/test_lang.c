#include "mitwirken.h"
#include "unit.h"

static void
negotiation(void)
{
	CHECK(lang_negotiate(NULL, NULL) == LANG_DE);
	CHECK(lang_negotiate("en", "de") == LANG_EN);
	CHECK(lang_negotiate("de", "en") == LANG_DE);
	CHECK(lang_negotiate(NULL, "en-GB,en;q=0.9") == LANG_EN);
	CHECK(lang_negotiate(NULL, "fr-FR, en;q=0.5, de;q=0.8") == LANG_DE);
	CHECK(lang_negotiate(NULL, "fr-FR, en;q=0.5") == LANG_EN);
	CHECK(lang_negotiate(NULL, "fr, it") == LANG_DE);
	CHECK(lang_negotiate(NULL, "english") == LANG_DE);
	CHECK(lang_negotiate(NULL, "en;q=0") == LANG_DE);
	CHECK(lang_negotiate(NULL, "") == LANG_DE);
	CHECK(lang_negotiate("xx", "en") == LANG_EN);
	CHECK_STR(lang_code(LANG_EN), "en");
}

UNIT_SUITE(lang_tests) = {
	{ "lang: language negotiation", negotiation },
	{ NULL, NULL }
};
