/*
 * Sealed secrets: XChaCha20-Poly1305 with associated data naming the
 * purpose, so a ciphertext moved to another column does not open.
 */

#include <string.h>

#include <sodium.h>

#include "mitwirken.h"

/* out: nonce || ciphertext; *outlen set.  Returns MW_ERROR if too small. */
int
secret_seal(const unsigned char *key, const char *ad, const void *msg,
    size_t len, unsigned char *out, size_t outsize, size_t *outlen)
{
	unsigned long long	clen;
	size_t			need;

	need = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + len +
	    crypto_aead_xchacha20poly1305_ietf_ABYTES;
	if (outsize < need)
		return (MW_ERROR);
	randombytes_buf(out, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
	    out + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen, msg, len,
	    (const unsigned char *)ad, strlen(ad), NULL, out, key);
	*outlen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + clen;
	return (MW_OK);
}

/* Opens what secret_seal made; the plaintext is NUL-terminated. */
int
secret_open(const unsigned char *key, const char *ad, const unsigned char *in,
    size_t len, char *out, size_t outsize)
{
	unsigned long long	mlen;
	size_t			hdr;

	hdr = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	if (len < hdr + crypto_aead_xchacha20poly1305_ietf_ABYTES ||
	    len - hdr - crypto_aead_xchacha20poly1305_ietf_ABYTES >= outsize)
		return (MW_ERROR);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out,
	    &mlen, NULL, in + hdr, len - hdr, (const unsigned char *)ad,
	    strlen(ad), in, key) != 0)
		return (MW_ERROR);
	out[mlen] = '\0';
	return (MW_OK);
}
