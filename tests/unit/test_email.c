/* email.c: the normal form of an address and its lookup MAC. */
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
normalisation(void)
{
	char	out[300];

	CHECK(email_normalize("  Anna.Muster@Example.DE\t", out, sizeof(out)));
	CHECK_STR(out, "anna.muster@example.de");
	CHECK(email_normalize("jörg@bücher.de", out, sizeof(out)));
	CHECK(!email_normalize("no-at-sign.de", out, sizeof(out)));
	CHECK(!email_normalize("a@b@c.de", out, sizeof(out)));
	CHECK(!email_normalize("@example.de", out, sizeof(out)));
	CHECK(!email_normalize("a@localhost", out, sizeof(out)));
	CHECK(!email_normalize("a@.example.de", out, sizeof(out)));
	CHECK(!email_normalize("a@example..de", out, sizeof(out)));
	CHECK(!email_normalize("a b@example.de", out, sizeof(out)));
	CHECK(!email_normalize("a@example.de\r\nBcc: x@y.de", out,
	    sizeof(out)));
	CHECK(!email_normalize("\"a\"@example.de", out, sizeof(out)));
	CHECK(!email_normalize("", out, sizeof(out)));
}

static void
lookup_mac(void)
{
	struct keys	*k = unit_keys(), other;
	unsigned char	a[32], b[32], c[32], file[64];

	email_lookup(k, "anna@example.de", a);
	email_lookup(k, "anna@example.de", b);
	CHECK(memcmp(a, b, 32) == 0);
	email_lookup(k, "anne@example.de", c);
	CHECK(memcmp(a, c, 32) != 0);
	memset(file, 8, sizeof(file));
	keys_derive(&other, file, sizeof(file));
	email_lookup(&other, "anna@example.de", c);
	CHECK(memcmp(a, c, 32) != 0);
}

UNIT_SUITE(email_tests) = {
	{ "email: e-mail normalisation", normalisation },
	{ "email: lookup MAC", lookup_mac },
	{ NULL, NULL }
};
