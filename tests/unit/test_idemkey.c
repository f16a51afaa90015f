#include <sodium.h>

#include "mitwirken.h"
#include "unit.h"

static void
policy(void)
{
	CHECK(idem_route_policy(M_POST, 1, "/api/v1/accounts") == IDEM_USE);
	CHECK(idem_route_policy(M_POST, 1, "/api/v1/ideas/{id}/comments") ==
	    IDEM_USE);
	/* The sign-in's answer is a session token: never stored. */
	CHECK(idem_route_policy(M_POST, 1, "/api/v1/session") == IDEM_REFUSE);
	CHECK(idem_route_policy(M_POST, 1, "/api/v1/admin/open311-keys") ==
	    IDEM_REFUSE);
	CHECK(idem_route_policy(M_POST, 1, "/api/v1/csp-reports") ==
	    IDEM_IGNORE);
	/* Forms and the other methods do not take part. */
	CHECK(idem_route_policy(M_POST, 0, "/registrieren") == IDEM_IGNORE);
	CHECK(idem_route_policy(M_PUT, 1, "/api/v1/accounts") == IDEM_IGNORE);
	CHECK(idem_route_policy(M_PATCH, 1, "/api/v1/me") == IDEM_IGNORE);
	CHECK(idem_route_policy(M_DELETE, 1, "/api/v1/session") ==
	    IDEM_IGNORE);
}

static void
keys(void)
{
	char	key[IDEM_KEY_MAX + 2];

	CHECK(idem_key_valid("a"));
	CHECK(idem_key_valid("3f0e8a52-9c1d-4f6b-8e2a-1b2c3d4e5f60"));
	CHECK(idem_key_valid("\"sf-string\";!~"));
	CHECK(!idem_key_valid(""));
	CHECK(!idem_key_valid("with space"));
	CHECK(!idem_key_valid("tab\tinside"));
	CHECK(!idem_key_valid("line\r\nbreak"));
	CHECK(!idem_key_valid("del\x7f"));
	CHECK(!idem_key_valid("umlaut \xc3\xa4"));
	memset(key, 'k', IDEM_KEY_MAX);
	key[IDEM_KEY_MAX] = '\0';
	CHECK(idem_key_valid(key));
	key[IDEM_KEY_MAX] = 'k';
	key[IDEM_KEY_MAX + 1] = '\0';
	CHECK(!idem_key_valid(key));
}

static int
same(const unsigned char *key, const struct idem_request *a,
    const struct idem_request *b)
{
	unsigned char	ha[IDEM_HASH_LEN], hb[IDEM_HASH_LEN];

	idem_request_hash(key, a, ha);
	idem_request_hash(key, b, hb);
	return (memcmp(ha, hb, sizeof(ha)) == 0);
}

static void
fingerprints(void)
{
	unsigned char		key[IDEM_HASH_LEN], other[IDEM_HASH_LEN];
	unsigned char		ha[IDEM_HASH_LEN], hb[IDEM_HASH_LEN];
	struct idem_request	a, b;

	CHECK(sodium_init() >= 0);
	memset(key, 1, sizeof(key));
	memset(other, 2, sizeof(other));
	a = (struct idem_request){ "POST", "/api/v1/accounts", NULL,
	    "application/json", "{\"a\":1}", 7 };
	b = a;
	CHECK(same(key, &a, &b));
	b.body = "{\"a\":2}";
	CHECK(!same(key, &a, &b));
	b = a;
	b.path = "/api/v1/password-reset";
	CHECK(!same(key, &a, &b));
	b = a;
	b.method = "PUT";
	CHECK(!same(key, &a, &b));
	b = a;
	b.query = "lang=en";
	CHECK(!same(key, &a, &b));
	b = a;
	b.content_type = "application/x-www-form-urlencoded";
	CHECK(!same(key, &a, &b));
	/* No query and an empty one are the same request. */
	b = a;
	b.query = "";
	CHECK(same(key, &a, &b));
	/* Framing: moving a byte from one part to the next is noticed. */
	a = (struct idem_request){ "POST", "/a", "bc", "", NULL, 0 };
	b = (struct idem_request){ "POST", "/ab", "c", "", NULL, 0 };
	CHECK(!same(key, &a, &b));
	/* Without the key nobody can recompute it. */
	idem_request_hash(key, &a, ha);
	idem_request_hash(other, &a, hb);
	CHECK(memcmp(ha, hb, sizeof(ha)) != 0);
}

static void
outcomes(void)
{
	struct idem_row	r;

	memset(&r, 0, sizeof(r));
	r.fresh = 1;
	CHECK(idem_decide(&r) == IDEM_PROCEED);
	/* Inserted by a request the statement could not yet see. */
	memset(&r, 0, sizeof(r));
	CHECK(idem_decide(&r) == IDEM_IN_PROGRESS);
	r = (struct idem_row){ .found = 1, .same_request = 1, .done = 1,
	    .age = 5 };
	CHECK(idem_decide(&r) == IDEM_REPLAY);
	r = (struct idem_row){ .found = 1, .same_request = 1, .age = 1 };
	CHECK(idem_decide(&r) == IDEM_IN_PROGRESS);
	r = (struct idem_row){ .found = 1, .same_request = 1,
	    .age = IDEM_RUNNING_MAX };
	CHECK(idem_decide(&r) == IDEM_UNKNOWN);
	/* Another request's key, running or done: never replayed. */
	r = (struct idem_row){ .found = 1, .done = 1, .age = 5 };
	CHECK(idem_decide(&r) == IDEM_REUSED);
	r = (struct idem_row){ .found = 1 };
	CHECK(idem_decide(&r) == IDEM_REUSED);
	/* Over the scope's quota: nothing else counts. */
	r = (struct idem_row){ .wait = 30 };
	CHECK(idem_decide(&r) == IDEM_OVER_QUOTA);
	r = (struct idem_row){ .fresh = 1, .wait = 1 };
	CHECK(idem_decide(&r) == IDEM_OVER_QUOTA);
}

/* A running key whose claimant is known (rows since migration 026). */
static struct idem_row
held(int alive, int written, long age)
{
	struct idem_row	r;

	memset(&r, 0, sizeof(r));
	r.found = r.same_request = r.owned = 1;
	r.alive = alive;
	r.written = written;
	r.age = age;
	return (r);
}

static void
after_crash(void)
{
	struct idem_row	r;

	/* Its worker runs: wait for it, written or not. */
	r = held(1, 0, 1);
	CHECK(idem_decide(&r) == IDEM_IN_PROGRESS);
	r = held(1, 1, 1);
	CHECK(idem_decide(&r) == IDEM_IN_PROGRESS);
	/* Its worker died before the write committed: run it now. */
	r = held(0, 0, 1);
	CHECK(idem_decide(&r) == IDEM_TAKE_OVER);
	/* ... after it: it was carried out, the answer is lost. */
	r = held(0, 1, 1);
	CHECK(idem_decide(&r) == IDEM_CARRIED_OUT);
	/* A live worker that held the key too long is not waited for. */
	r = held(1, 0, IDEM_RUNNING_MAX);
	CHECK(idem_decide(&r) == IDEM_TAKE_OVER);
	r = held(1, 1, IDEM_RUNNING_MAX);
	CHECK(idem_decide(&r) == IDEM_CARRIED_OUT);
	/* Another request never takes a held key over. */
	r = held(0, 0, 1);
	r.same_request = 0;
	CHECK(idem_decide(&r) == IDEM_REUSED);
	/* Given up after a 5xx: free for any request, the same or not. */
	r = held(1, 0, 1);
	r.free = 1;
	CHECK(idem_decide(&r) == IDEM_TAKE_OVER);
	r.same_request = 0;
	CHECK(idem_decide(&r) == IDEM_TAKE_OVER);
	/* ... unless its write had committed: then it was carried out. */
	r = held(1, 1, 1);
	r.free = 1;
	CHECK(idem_decide(&r) == IDEM_CARRIED_OUT);
	/* A stored answer is replayed, whatever its worker does. */
	r = held(0, 1, 1);
	r.done = 1;
	CHECK(idem_decide(&r) == IDEM_REPLAY);
	/* Rows from before owners were kept: unknown after the limit. */
	r = held(0, 0, IDEM_RUNNING_MAX);
	r.owned = 0;
	CHECK(idem_decide(&r) == IDEM_UNKNOWN);
	r.age = 1;
	CHECK(idem_decide(&r) == IDEM_IN_PROGRESS);
	/* Over the quota still wins. */
	r = held(0, 0, 1);
	r.wait = 3;
	CHECK(idem_decide(&r) == IDEM_OVER_QUOTA);
}

UNIT_SUITE(idemkey_tests) = {
	{ "idemkey: which routes take the header", policy },
	{ "idemkey: key syntax", keys },
	{ "idemkey: request fingerprints", fingerprints },
	{ "idemkey: what a stored key means", outcomes },
	{ "idemkey: a key whose request died with its node", after_crash },
	{ NULL, NULL }
};
