/* token.c: bearer tokens and their keyed hashes. */
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
tokens(void)
{
	struct keys	*k = unit_keys();
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
derived(void)
{
	struct keys	*k = unit_keys();
	char		t[TOKEN_LEN + 1], d1[TOKEN_LEN + 1], d2[TOKEN_LEN + 1];

	token_new(t);
	token_derive(k, "csrf", t, d1);
	CHECK(token_valid(d1));
	CHECK(strcmp(d1, t) != 0);
	token_derive(k, "csrf", t, d2);
	CHECK(strcmp(d1, d2) == 0);
	CHECK(token_equal(d2, d1));
	token_derive(k, "form", t, d2);
	CHECK(strcmp(d1, d2) != 0);
	CHECK(!token_equal(d2, d1));
	CHECK(!token_equal("", ""));
	CHECK(!token_equal("short", d1));
	token_new(t);
	token_derive(k, "csrf", t, d2);
	CHECK(strcmp(d1, d2) != 0);
}

UNIT_SUITE(token_tests) = {
	{ "token: tokens and their hashes", tokens },
	{ "token: derived tokens differ by purpose and token", derived },
	{ NULL, NULL }
};
