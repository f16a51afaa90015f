/* stamp.c: form stamps. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
stamps(void)
{
	struct keys	k, other;
	unsigned char	file[64];
	char		stamp[64], forged[64];
	long long	age;

	CHECK(sodium_init() >= 0);
	memset(file, 3, sizeof(file));
	CHECK(keys_derive(&k, file, sizeof(file)));
	memset(file, 4, sizeof(file));
	CHECK(keys_derive(&other, file, sizeof(file)));
	stamp_new(&k, 1763784000, stamp, sizeof(stamp));
	CHECK(stamp_age(&k, stamp, 1763784007, &age) && age == 7);
	CHECK(!stamp_age(&other, stamp, 1763784007, &age));
	/* Back-dating the time breaks the MAC. */
	(void)snprintf(forged, sizeof(forged), "1763783000%s",
	    strchr(stamp, '.'));
	CHECK(!stamp_age(&k, forged, 1763784007, &age));
	CHECK(!stamp_age(&k, "", 0, &age));
	CHECK(!stamp_age(&k, "123.", 0, &age));
	CHECK(!stamp_age(&k, ".abc", 0, &age));
	CHECK(!stamp_age(&k, "12a.00000000000000000000000000000000", 0,
	    &age));
}

UNIT_SUITE(stamp_tests) = {
	{ "stamp: signed form stamps", stamps },
	{ NULL, NULL }
};
