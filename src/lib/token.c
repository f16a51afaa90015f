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
