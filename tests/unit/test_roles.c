/* roles.c: role names, bits, the database's list and the JSON array. */

#include "mitwirken.h"
#include "unit.h"

static void
names_and_bits(void)
{
	CHECK(roles_from_name("moderator") == ROLE_MODERATOR);
	CHECK(roles_from_name("admin") == ROLE_ADMIN);
	CHECK(roles_from_name("Admin") == 0);
	CHECK(roles_from_name("") == 0);
	CHECK_STR(roles_name(ROLE_BOARD), "board");
	CHECK(roles_name(0x40) == NULL);
}

static void
lists(void)
{
	/* Every account is a citizen; unknown and empty names add nothing. */
	CHECK(roles_from_list("") == ROLE_CITIZEN);
	CHECK(roles_from_list("admin,staff") ==
	    (ROLE_CITIZEN | ROLE_ADMIN | ROLE_STAFF));
	CHECK(roles_from_list(",planner,,nobody,averyveryverylongname") ==
	    (ROLE_CITIZEN | ROLE_PLANNER));
}

static void
json_array(void)
{
	cJSON	*o;
	char	*s;

	o = cJSON_CreateObject();
	roles_to_json(o, ROLE_ADMIN | ROLE_CITIZEN | ROLE_MODERATOR);
	s = cJSON_PrintUnformatted(o);
	CHECK_STR(s, "{\"roles\":[\"citizen\",\"moderator\",\"admin\"]}");
	cJSON_free(s);
	cJSON_Delete(o);
}

UNIT_SUITE(roles_tests) = {
	{ "roles: names and bits", names_and_bits },
	{ "roles: the database's list, every account a citizen", lists },
	{ "roles: a JSON array in a fixed order", json_array },
	{ NULL, NULL }
};
