/*
 * The privacy design of DESIGN.md in code.  All keys derive from the key
 * file, one per purpose, so a key used for lookups can never decrypt and a
 * leaked token key reveals no address:
 *   email_lookup = keyed BLAKE2b(normalised address)   (find an account)
 *   email_ct     = XChaCha20-Poly1305(normalised address)  (contact them)
 *   token hashes = keyed BLAKE2b(token)  (sessions, verification, reset)
 *   request fingerprints = keyed BLAKE2b(request)  (Idempotency-Key)
 * The database holds only these; the key file never enters it.
 */

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "mitwirken.h"

static const char	kdf_context[crypto_kdf_CONTEXTBYTES] = "mitwirkn";

enum {
	SUBKEY_LOOKUP = 1,
	SUBKEY_EMAIL,
	SUBKEY_TOKEN,
	SUBKEY_OUTBOX,
	SUBKEY_SURVEY,
	SUBKEY_IDEM
};

/* Reads the key file (KEY_FILE_LEN bytes) and derives the keys from it. */
int
keys_load(struct keys *k, const char *path)
{
	unsigned char	buf[KEY_FILE_LEN];
	ssize_t		n;
	int		fd, ok;

	if ((fd = open(path, O_RDONLY)) == -1)
		return (MW_ERROR);
	n = read(fd, buf, sizeof(buf));
	(void)close(fd);
	ok = n == (ssize_t)sizeof(buf) && keys_derive(k, buf, sizeof(buf));
	sodium_memzero(buf, sizeof(buf));
	return (ok);
}

int
keys_derive(struct keys *k, const unsigned char *file, size_t len)
{
	unsigned char	master[crypto_kdf_KEYBYTES];

	if (len < 32)
		return (MW_ERROR);
	crypto_generichash(master, sizeof(master), file, len, NULL, 0);
	crypto_kdf_derive_from_key(k->lookup, sizeof(k->lookup), SUBKEY_LOOKUP,
	    kdf_context, master);
	crypto_kdf_derive_from_key(k->email, sizeof(k->email), SUBKEY_EMAIL,
	    kdf_context, master);
	crypto_kdf_derive_from_key(k->token, sizeof(k->token), SUBKEY_TOKEN,
	    kdf_context, master);
	crypto_kdf_derive_from_key(k->outbox, sizeof(k->outbox), SUBKEY_OUTBOX,
	    kdf_context, master);
	crypto_kdf_derive_from_key(k->survey, sizeof(k->survey), SUBKEY_SURVEY,
	    kdf_context, master);
	crypto_kdf_derive_from_key(k->idem, sizeof(k->idem), SUBKEY_IDEM,
	    kdf_context, master);
	sodium_memzero(master, sizeof(master));
	return (MW_OK);
}
