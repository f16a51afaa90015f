/* secret.c: sealed secrets. */
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
aead_round_trip(void)
{
	struct keys	*k = unit_keys();
	unsigned char	ct[256], ct2[256];
	char		pt[128];
	size_t		len, len2;

	CHECK(secret_seal(k->email, "email", "anna@example.de", 15, ct,
	    sizeof(ct), &len));
	CHECK(len == 24 + 15 + 16);
	CHECK(secret_open(k->email, "email", ct, len, pt, sizeof(pt)));
	CHECK_STR(pt, "anna@example.de");
	CHECK(secret_seal(k->email, "email", "anna@example.de", 15, ct2,
	    sizeof(ct2), &len2));
	CHECK(memcmp(ct, ct2, len) != 0);	/* random nonce */
	CHECK(!secret_open(k->lookup, "email", ct, len, pt, sizeof(pt)));
	CHECK(!secret_open(k->email, "outbox", ct, len, pt, sizeof(pt)));
	ct[30] ^= 1;
	CHECK(!secret_open(k->email, "email", ct, len, pt, sizeof(pt)));
	CHECK(!secret_open(k->email, "email", ct, 10, pt, sizeof(pt)));
	CHECK(!secret_seal(k->email, "email", "x", 1, ct, 20, &len));
}

UNIT_SUITE(secret_tests) = {
	{ "secret: AEAD round trip, tamper, wrong key", aead_round_trip },
	{ NULL, NULL }
};
