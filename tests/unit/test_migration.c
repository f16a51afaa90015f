#include "mitwirken.h"
#include "unit.h"

static void
names(void)
{
	long	v;

	CHECK(migration_parse_name("001_taxonomy.sql", &v) && v == 1);
	CHECK(migration_parse_name("0042_add_ideas_2.sql", &v) && v == 42);
	CHECK(!migration_parse_name("1_short.sql", &v));
	CHECK(!migration_parse_name("001-taxonomy.sql", &v));
	CHECK(!migration_parse_name("001_Taxonomy.sql", &v));
	CHECK(!migration_parse_name("001_.sql", &v));
	CHECK(!migration_parse_name("001_taxonomy.sql~", &v));
	CHECK(!migration_parse_name("001_taxonomy.txt", &v));
	CHECK(!migration_parse_name("README", &v));
}

static void
ordering(void)
{
	struct migration	m[3] = {
		{ 10, "010_c.sql" }, { 2, "002_b.sql" }, { 1, "001_a.sql" }
	};
	struct migration	dup[2] = { { 3, "003_a.sql" }, { 3, "003_b.sql" } };
	char			err[256];

	CHECK(migration_sort(m, 3, err, sizeof(err)));
	CHECK(m[0].version == 1 && m[1].version == 2 && m[2].version == 10);
	CHECK(!migration_sort(dup, 2, err, sizeof(err)));
	CHECK(strstr(err, "share version 3") != NULL);
}

UNIT_SUITE(migration_tests) = {
	{ "migration: file names", names },
	{ "migration: order and duplicates", ordering },
	{ NULL, NULL }
};
