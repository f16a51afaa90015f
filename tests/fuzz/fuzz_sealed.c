/*
 * Sealed data comes back from the database (email_ct, the outbox) as
 * PostgreSQL's bytea text: bytea_parse reads it and secret_open opens it.
 * Random bytes must never open; a sealed input must open to itself, and
 * not after one changed byte, with another purpose, or into a buffer
 * without room for the NUL.
 */

#include <sodium.h>

#include "mitwirken.h"
#include "fuzz.h"

#define NONCE	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG	crypto_aead_xchacha20poly1305_ietf_ABYTES

static struct keys	keys;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char	file[64];
	size_t		i;

	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	for (i = 0; i < sizeof(file); i++)
		file[i] = (unsigned char)(i * 7 + 1);
	if (!keys_derive(&keys, file, sizeof(file)))
		abort();
	return (0);
}

static void
check_round_trip(const uint8_t *data, size_t size)
{
	static unsigned char	sealed[SEALED_MAX];
	static char		out[SEALED_MAX];
	size_t			slen;

	if (size + NONCE + TAG > sizeof(sealed)) {
		FUZZ_ASSERT(!secret_seal(keys.email, "email", data, size,
		    sealed, sizeof(sealed), &slen));
		return;
	}
	FUZZ_ASSERT(secret_seal(keys.email, "email", data, size, sealed,
	    sizeof(sealed), &slen));
	FUZZ_ASSERT(slen == size + NONCE + TAG);
	FUZZ_ASSERT(secret_open(keys.email, "email", sealed, slen, out,
	    size + 1));
	FUZZ_ASSERT(memcmp(out, data, size) == 0 && out[size] == '\0');

	FUZZ_ASSERT(!secret_open(keys.email, "email", sealed, slen, out, size));
	FUZZ_ASSERT(!secret_open(keys.email, "outbox", sealed, slen, out,
	    sizeof(out)));
	FUZZ_ASSERT(!secret_open(keys.outbox, "email", sealed, slen, out,
	    sizeof(out)));
	FUZZ_ASSERT(!secret_open(keys.email, "email", sealed, slen - 1, out,
	    sizeof(out)));
	sealed[size > 0 ? data[0] % slen : 0] ^= 0x01;
	FUZZ_ASSERT(!secret_open(keys.email, "email", sealed, slen, out,
	    sizeof(out)));
}

static void
check_bytea(const uint8_t *data, size_t size)
{
	static unsigned char	bin[SEALED_MAX];
	static char		hex[2 * SEALED_MAX + 3];
	char			*text;
	size_t			len, i;

	text = fuzz_cstring(data, size);
	if (bytea_parse(text, bin, sizeof(bin), &len)) {
		FUZZ_ASSERT(len <= sizeof(bin));
		/* Printed back, it is the input up to the case of a-f. */
		bytea_hex(bin, len, hex, sizeof(hex));
		FUZZ_ASSERT(strlen(hex) == strlen(text));
		for (i = 0; hex[i] != '\0'; i++)
			FUZZ_ASSERT(hex[i] == (text[i] >= 'A' &&
			    text[i] <= 'F' ? text[i] | 0x20 : text[i]));
	}
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	out[SEALED_MAX];

	/* Forging a tag by chance is a 2^-128 event: success is a bug. */
	FUZZ_ASSERT(!secret_open(keys.email, "email", data, size, out,
	    sizeof(out)));
	FUZZ_ASSERT(!secret_open(keys.outbox, "outbox", data, size, out,
	    sizeof(out)));
	check_round_trip(data, size);
	check_bytea(data, size);
	return (0);
}
