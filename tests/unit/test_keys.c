/* keys.c: one key per purpose, from the key file. */

#include <sodium.h>
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

/* The keys of a fixed key file, for the tests of every keyed module. */
struct keys *
unit_keys(void)
{
	static struct keys	k;
	unsigned char		file[64];

	memset(file, 7, sizeof(file));
	CHECK(sodium_init() >= 0);
	CHECK(keys_derive(&k, file, sizeof(file)));
	return (&k);
}

static void
keys_differ_by_purpose(void)
{
	struct keys	*k = unit_keys();

	CHECK(memcmp(k->lookup, k->email, 32) != 0);
	CHECK(memcmp(k->email, k->token, 32) != 0);
	CHECK(memcmp(k->token, k->outbox, 32) != 0);
	CHECK(!keys_derive(k, (const unsigned char *)"short", 5));
}

UNIT_SUITE(keys_tests) = {
	{ "keys: one key per purpose", keys_differ_by_purpose },
	{ NULL, NULL }
};
