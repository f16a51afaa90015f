#include <sodium.h>

#include "mitwirken.h"
#include "unit.h"

static struct keys *
test_keys(void)
{
	static struct keys	k;
	unsigned char		file[64];

	memset(file, 7, sizeof(file));
	CHECK(sodium_init() >= 0);
	CHECK(keys_derive(&k, file, sizeof(file)));
	return (&k);
}

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
keys_differ_by_purpose(void)
{
	struct keys	*k = test_keys();

	CHECK(memcmp(k->lookup, k->email, 32) != 0);
	CHECK(memcmp(k->email, k->token, 32) != 0);
	CHECK(memcmp(k->token, k->outbox, 32) != 0);
	CHECK(!keys_derive(k, (const unsigned char *)"short", 5));
}

static void
lookup_mac(void)
{
	struct keys	*k = test_keys(), other;
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

static void
aead_round_trip(void)
{
	struct keys	*k = test_keys();
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

static void
tokens(void)
{
	struct keys	*k = test_keys();
	char		t1[TOKEN_LEN + 1], t2[TOKEN_LEN + 1];
	unsigned char	h1[32], h2[32];

	token_new(t1);
	token_new(t2);
	CHECK(strlen(t1) == TOKEN_LEN);
	CHECK(strcmp(t1, t2) != 0);
	CHECK(token_valid(t1));
	CHECK(!token_valid("short"));
	CHECK(!token_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa+"));
	token_hash(k, t1, h1);
	token_hash(k, t1, h2);
	CHECK(memcmp(h1, h2, 32) == 0);
	token_hash(k, t2, h2);
	CHECK(memcmp(h1, h2, 32) != 0);
}

static void
bytea(void)
{
	unsigned char	in[3] = { 0x00, 0xab, 0xff }, out[8];
	char		hex[16];
	size_t		n;

	bytea_hex(in, 3, hex, sizeof(hex));
	CHECK_STR(hex, "\\x00abff");
	CHECK(bytea_parse(hex, out, sizeof(out), &n) && n == 3 &&
	    memcmp(in, out, 3) == 0);
	CHECK(!bytea_parse("00ab", out, sizeof(out), &n));
}

UNIT_SUITE(crypto_tests) = {
	{ "crypto: e-mail normalisation", normalisation },
	{ "crypto: one key per purpose", keys_differ_by_purpose },
	{ "crypto: lookup MAC", lookup_mac },
	{ "crypto: AEAD round trip, tamper, wrong key", aead_round_trip },
	{ "crypto: tokens and their hashes", tokens },
	{ "crypto: bytea hex", bytea },
	{ NULL, NULL }
};
