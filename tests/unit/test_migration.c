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

static void
repeatable_names(void)
{
	char	long_name[80];

	CHECK(migration_parse_repeatable("idea_json.sql"));
	CHECK(migration_parse_repeatable("account_export_2.sql"));
	CHECK(migration_parse_repeatable("x.sql"));
	/* A numbered file is never a repeatable one, nor the reverse. */
	CHECK(!migration_parse_repeatable("001_taxonomy.sql"));
	CHECK(!migration_parse_repeatable("_hidden.sql"));
	CHECK(!migration_parse_repeatable("Idea_json.sql"));
	CHECK(!migration_parse_repeatable("idea-json.sql"));
	CHECK(!migration_parse_repeatable("idea_json.sql~"));
	CHECK(!migration_parse_repeatable("idea_json.SQL"));
	CHECK(!migration_parse_repeatable("idea.json.sql"));
	CHECK(!migration_parse_repeatable(".sql"));
	CHECK(!migration_parse_repeatable("README"));
	/* The name is a function's: at most 63 characters before ".sql". */
	memset(long_name, 'a', 63);
	(void)snprintf(long_name + 63, sizeof(long_name) - 63, ".sql");
	CHECK(migration_parse_repeatable(long_name));
	memset(long_name, 'a', 64);
	(void)snprintf(long_name + 64, sizeof(long_name) - 64, ".sql");
	CHECK(!migration_parse_repeatable(long_name));
}

static void
checksums(void)
{
	char	sum[MIGRATION_CHECKSUM_LEN + 1];

	/* FIPS 180-2 test vectors. */
	migration_checksum("abc", 3, sum);
	CHECK_STR(sum, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	migration_checksum("", 0, sum);
	CHECK_STR(sum, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

static void
pending(void)
{
	struct repeatable	r[3];
	const char		*names[3] = { "c.sql", "a.sql", "b.sql" };
	int			i;

	for (i = 0; i < 3; i++) {
		(void)snprintf(r[i].name, sizeof(r[i].name), "%s", names[i]);
		migration_checksum(names[i], strlen(names[i]), r[i].checksum);
		r[i].pending = 1;
		r[i].sql = NULL;
	}
	migration_sort_repeatables(r, 3);
	CHECK_STR(r[0].name, "a.sql");
	CHECK_STR(r[1].name, "b.sql");
	CHECK_STR(r[2].name, "c.sql");
	/* Recorded with the same checksum: done.  Another one: pending. */
	CHECK(migration_seen(r, 3, "a.sql", r[0].checksum));
	CHECK(migration_seen(r, 3, "b.sql", r[0].checksum));
	CHECK(!r[0].pending && r[1].pending && r[2].pending);
	/* A recorded name without a file. */
	CHECK(!migration_seen(r, 3, "gone.sql", r[0].checksum));
	CHECK(!migration_seen(r, 0, "a.sql", r[0].checksum));
}

UNIT_SUITE(migration_tests) = {
	{ "migration: file names", names },
	{ "migration: order and duplicates", ordering },
	{ "migration: repeatable file names", repeatable_names },
	{ "migration: checksums", checksums },
	{ "migration: pending repeatables", pending },
	{ NULL, NULL }
};
