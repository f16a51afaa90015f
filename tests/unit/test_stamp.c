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

/* Too young, in time, expired (the bounds are inclusive), forged. */
static void
verdicts(void)
{
	struct keys	k;
	unsigned char	file[64];
	char		stamp[64];

	CHECK(sodium_init() >= 0);
	memset(file, 5, sizeof(file));
	CHECK(keys_derive(&k, file, sizeof(file)));
	stamp_new(&k, 1000000, stamp, sizeof(stamp));
	CHECK(stamp_check(&k, stamp, 1000002, 3, 86400) == STAMP_TOO_YOUNG);
	CHECK(stamp_check(&k, stamp, 999990, 3, 86400) == STAMP_TOO_YOUNG);
	CHECK(stamp_check(&k, stamp, 1000003, 3, 86400) == STAMP_OK);
	CHECK(stamp_check(&k, stamp, 1086400, 3, 86400) == STAMP_OK);
	CHECK(stamp_check(&k, stamp, 1086401, 3, 86400) == STAMP_EXPIRED);
	CHECK(stamp_check(&k, NULL, 1000003, 3, 86400) == STAMP_FORGED);
	CHECK(stamp_check(&k, "1000000.x", 1000003, 3, 86400) ==
	    STAMP_FORGED);
	stamp[0] = '2';
	CHECK(stamp_check(&k, stamp, 2000003, 3, 86400) == STAMP_FORGED);
}

UNIT_SUITE(stamp_tests) = {
	{ "stamp: signed form stamps", stamps },
	{ "stamp: too young, in time, expired, forged", verdicts },
	{ NULL, NULL }
};
