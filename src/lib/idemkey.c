/*
 * Idempotency-Key, the pure part: which routes take the header, what a key
 * may look like, the fingerprint of a request, and what a stored key means
 * for a new request that presents it.  idempotency.c does the rest.
 *
 * The fingerprint is a keyed BLAKE2b over the request, so the stored value
 * says nothing about what was sent (a registration's body holds an address
 * and a password), yet tells a retry from a different request.
 */

#include <string.h>

#include <sodium.h>

#include "mitwirken.h"

/*
 * Routes whose answer carries a secret (a session token or cookie, a
 * defect report's status token, a new Open311 API key): a stored copy
 * would be a second place for it, and a replay would hand it out again.
 * A key there is refused, so no client believes it holds.
 */
static const char *const secret_routes[] = { "/api/v1/session",
    "/api/v1/defects", "/api/v1/admin/open311-keys", NULL };

/*
 * Routes that change nothing a retry could duplicate (a CSP report is a
 * log line), and whose only clients, browsers, never send the header.
 */
static const char *const stateless_routes[] = { "/api/v1/csp-reports",
    NULL };

static int
listed(const char *const *list, const char *pattern)
{
	int	i;

	for (i = 0; list[i] != NULL; i++) {
		if (strcmp(list[i], pattern) == 0)
			return (1);
	}
	return (0);
}

/* method: enum route_method; api: the route answers JSON (ROUTE_API). */
enum idem_policy
idem_route_policy(int method, int api, const char *pattern)
{
	if (method != M_POST || !api || listed(stateless_routes, pattern))
		return (IDEM_IGNORE);
	if (listed(secret_routes, pattern))
		return (IDEM_REFUSE);
	return (IDEM_USE);
}

/* 1 to 255 visible ASCII characters: safe in a log line and a header. */
int
idem_key_valid(const char *key)
{
	size_t	i, len;

	len = strlen(key);
	if (len < 1 || len > IDEM_KEY_MAX)
		return (MW_ERROR);
	for (i = 0; i < len; i++) {
		if (key[i] < 0x21 || key[i] > 0x7e)
			return (MW_ERROR);
	}
	return (MW_OK);
}

/* Each part with its length first: ("ab", "c") never equals ("a", "bc"). */
static void
hash_part(crypto_generichash_state *st, const void *data, size_t len)
{
	unsigned char	n[8];
	int		i;

	for (i = 0; i < 8; i++)
		n[i] = (unsigned char)((uint64_t)len >> (8 * i));
	crypto_generichash_update(st, n, sizeof(n));
	if (len > 0)
		crypto_generichash_update(st, data, len);
}

static void
hash_string(crypto_generichash_state *st, const char *s)
{
	if (s == NULL)
		s = "";
	hash_part(st, s, strlen(s));
}

/* key: IDEM_HASH_LEN bytes (struct keys' idem); out: IDEM_HASH_LEN bytes. */
void
idem_request_hash(const unsigned char *key, const struct idem_request *r,
    unsigned char *out)
{
	crypto_generichash_state	st;

	crypto_generichash_init(&st, key, IDEM_HASH_LEN, IDEM_HASH_LEN);
	hash_string(&st, "mitwirken idempotency v1");
	hash_string(&st, r->method);
	hash_string(&st, r->path);
	hash_string(&st, r->query);
	hash_string(&st, r->content_type);
	hash_part(&st, r->body, r->body != NULL ? r->body_len : 0);
	crypto_generichash_final(&st, out, IDEM_HASH_LEN);
	sodium_memzero(&st, sizeof(st));
}

/*
 * What a presented key means.  A row the statement could not see was
 * inserted by a request that started a moment ago: it is still running.
 * Over the quota, nothing was claimed or looked at.
 *
 * A running row: its holder's write marks it written in the same
 * transaction (idem_fence), so "not written" means the write has not
 * committed.  If the holder's worker is gone, or the request has held the
 * key for IDEM_RUNNING_MAX seconds, the retry takes the key over and runs
 * (the caller swaps the claim only if it is still the one seen here):
 * the old request, were it still alive, can then commit nothing, because
 * its write checks the claim.  So a request runs again only when its
 * first run cannot have written, and never twice.  Written but without
 * an answer: the write committed and the answer was lost (the node died
 * between the two, or a later step failed with a 5xx and gave the key
 * up); the client learns that it was carried out.  A row
 * from before owners were recorded (migration 026) keeps the old rule:
 * after IDEM_RUNNING_MAX its outcome is unknown.
 */
static enum idem_outcome
running(const struct idem_row *row)
{
	int	over;

	over = row->age >= IDEM_RUNNING_MAX;
	if (!row->owned)
		return (over ? IDEM_UNKNOWN : IDEM_IN_PROGRESS);
	if (row->written)
		return (row->alive && !over && !row->free ? IDEM_IN_PROGRESS :
		    IDEM_CARRIED_OUT);
	return (row->alive && !over ? IDEM_IN_PROGRESS : IDEM_TAKE_OVER);
}

enum idem_outcome
idem_decide(const struct idem_row *row)
{
	if (row->wait > 0)
		return (IDEM_OVER_QUOTA);
	if (row->fresh)
		return (IDEM_PROCEED);
	if (!row->found)
		return (IDEM_IN_PROGRESS);
	/* Given up before any write (a 5xx): as if it never existed. */
	if (!row->done && row->owned && row->free && !row->written)
		return (IDEM_TAKE_OVER);
	if (!row->same_request)
		return (IDEM_REUSED);
	if (row->done)
		return (IDEM_REPLAY);
	return (running(row));
}
