/*
 * The Idempotency-Key header and the request fingerprint (idemkey.c): the
 * key's syntax against an independent reading, and the fingerprint as a
 * function of every part of the request, with the parts' borders
 * mattering ("ab" + "c" never fingerprints like "a" + "bc").
 */

#include <sodium.h>

#include "mitwirken.h"
#include "fuzz.h"

static unsigned char	key[IDEM_HASH_LEN];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	memset(key, 5, sizeof(key));
	return (0);
}

static int
reference_key(const char *k)
{
	size_t	i, len;

	len = strlen(k);
	for (i = 0; i < len; i++) {
		if ((unsigned char)k[i] <= ' ' || (unsigned char)k[i] >= 0x7f)
			return (0);
	}
	return (len >= 1 && len <= IDEM_KEY_MAX);
}

static void
fingerprint(const char *m, const char *p, const char *q, const char *t,
    const char *b, unsigned char *out)
{
	struct idem_request	r;

	r.method = m;
	r.path = p;
	r.query = q;
	r.content_type = t;
	r.body = b;
	r.body_len = b != NULL ? strlen(b) : 0;
	idem_request_hash(key, &r, out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	h1[IDEM_HASH_LEN], h2[IDEM_HASH_LEN];
	char		*parts[5], *copy, *moved;
	size_t		len;

	copy = fuzz_split(data, size, parts, 5);
	if (parts[0] != NULL)
		FUZZ_ASSERT(idem_key_valid(parts[0]) ==
		    reference_key(parts[0]));
	fingerprint(parts[0], parts[1], parts[2], parts[3], parts[4], h1);
	fingerprint(parts[0], parts[1], parts[2], parts[3], parts[4], h2);
	FUZZ_ASSERT(memcmp(h1, h2, sizeof(h1)) == 0);
	/* Moving the border between path and query changes the print. */
	if (parts[1] != NULL && parts[2] != NULL && (len = strlen(parts[1])) > 0) {
		if ((moved = malloc(strlen(parts[2]) + 2)) == NULL)
			abort();
		moved[0] = parts[1][len - 1];
		strcpy(moved + 1, parts[2]);
		parts[1][len - 1] = '\0';
		fingerprint(parts[0], parts[1], moved, parts[3], parts[4], h2);
		FUZZ_ASSERT(memcmp(h1, h2, sizeof(h1)) != 0);
		free(moved);
	}
	free(copy);
	return (0);
}
