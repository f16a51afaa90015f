/*
 * Bearer tokens (sessions, verification, reset): 256 random bits as
 * base64url; only their keyed hash is stored.
 */

#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "mitwirken.h"

/* 256 random bits, base64url without padding: 43 characters. */
void
token_new(char *out)
{
	unsigned char	raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

int
token_valid(const char *token)
{
	size_t	i;

	if (strlen(token) != TOKEN_LEN)
		return (MW_ERROR);
	for (i = 0; i < TOKEN_LEN; i++) {
		if (!(isalnum((unsigned char)token[i]) || token[i] == '-' ||
		    token[i] == '_'))
			return (MW_ERROR);
	}
	return (MW_OK);
}

void
token_hash(const struct keys *k, const char *token,
    unsigned char *out)
{
	crypto_generichash(out, TOKEN_HASH_LEN, (const unsigned char *)token,
	    strlen(token), k->token, sizeof(k->token));
}

/*
 * A token derived from another: MAC(keys.token, purpose ":" token), as
 * base64url.  The CSRF token of a session is derived from the session
 * token, so nothing extra is stored and a database reader learns neither.
 * The ':' is outside the base64url alphabet, so no purpose-prefixed input
 * equals a bare token (whose MAC is the stored session hash).
 */
void
token_derive(const struct keys *k, const char *purpose, const char *token,
    char *out)
{
	crypto_generichash_state	st;
	unsigned char			mac[32];

	crypto_generichash_init(&st, k->token, sizeof(k->token), sizeof(mac));
	crypto_generichash_update(&st, (const unsigned char *)purpose,
	    strlen(purpose));
	crypto_generichash_update(&st, (const unsigned char *)":", 1);
	crypto_generichash_update(&st, (const unsigned char *)token,
	    strlen(token));
	crypto_generichash_final(&st, mac, sizeof(mac));
	sodium_bin2base64(out, TOKEN_LEN + 1, mac, sizeof(mac),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(mac, sizeof(mac));
}

/* Constant-time comparison of a presented token with the expected one. */
int
token_equal(const char *given, const char *want)
{
	size_t	n = strlen(want);

	return (n > 0 && strlen(given) == n &&
	    sodium_memcmp(given, want, n) == 0);
}
