/*
 * Prints an argon2id string for the password on stdin at libsodium's
 * minimum limits: what an account stored before the limits were raised.
 * The rehash-at-sign-in test (tests/http/accounts.test.mjs) plants it.
 */

#include <stdio.h>
#include <string.h>

#include <sodium.h>

int
main(void)
{
	char	pw[1024], out[crypto_pwhash_STRBYTES];
	size_t	len;

	if (sodium_init() < 0 || fgets(pw, sizeof(pw), stdin) == NULL)
		return (1);
	len = strcspn(pw, "\n");
	if (crypto_pwhash_str_alg(out, pw, len, crypto_pwhash_OPSLIMIT_MIN,
	    crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return (1);
	puts(out);
	return (0);
}
