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

static int
domain_valid(const char *d)
{
	size_t	i, len, label;

	len = strlen(d);
	if (len < 3 || len > 253 || strchr(d, '.') == NULL || d[0] == '.' ||
	    d[len - 1] == '.' || d[0] == '-')
		return (MW_ERROR);
	for (i = 0, label = 0; i < len; i++) {
		if (d[i] == '.') {
			if (label == 0)
				return (MW_ERROR);
			label = 0;
			continue;
		}
		/* Internationalised domains arrive as UTF-8; allow them. */
		if (!(isalnum((unsigned char)d[i]) || d[i] == '-' ||
		    (unsigned char)d[i] >= 0x80))
			return (MW_ERROR);
		if (++label > 63)
			return (MW_ERROR);
	}
	return (MW_OK);
}

/*
 * Trims surrounding white space and lower-cases ASCII letters.  Only the
 * shape is checked (one '@', a local part, a dotted domain): whether an
 * address works is proven by the verification mail, not by a regex.
 */
int
email_normalize(const char *in, char *out, size_t outlen)
{
	const char	*start, *end, *at;
	size_t		i, len;

	for (start = in; *start == ' ' || *start == '\t'; start++)
		;
	for (end = start + strlen(start); end > start &&
	    (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	len = (size_t)(end - start);
	if (len < 5 || len > EMAIL_MAX || len >= outlen ||
	    !utf8_valid_text(start, len))
		return (MW_ERROR);
	for (i = 0; i < len; i++) {
		if (start[i] == ' ' || start[i] == '\t' || start[i] == '\n' ||
		    start[i] == '\r' || start[i] == '<' || start[i] == '>' ||
		    start[i] == ',' || start[i] == ';' || start[i] == '"')
			return (MW_ERROR);
		out[i] = (char)tolower((unsigned char)start[i]);
	}
	out[len] = '\0';
	at = strchr(out, '@');
	if (at == NULL || at == out || strchr(at + 1, '@') != NULL ||
	    at - out > 64 || !domain_valid(at + 1))
		return (MW_ERROR);
	return (MW_OK);
}

void
email_lookup(const struct keys *k, const char *norm,
    unsigned char *out)
{
	crypto_generichash(out, EMAIL_LOOKUP_LEN, (const unsigned char *)norm,
	    strlen(norm), k->lookup, sizeof(k->lookup));
}

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

/* PostgreSQL's bytea hex input: "\x" and two hex digits a byte. */
void
bytea_hex(const unsigned char *in, size_t len, char *out, size_t outlen)
{
	if (outlen < 2 * len + 3) {
		out[0] = '\0';
		return;
	}
	out[0] = '\\';
	out[1] = 'x';
	sodium_bin2hex(out + 2, outlen - 2, in, len);
}

/* Parses "\x..." as PostgreSQL prints bytea; returns the byte count. */
int
bytea_parse(const char *hex, unsigned char *out, size_t outsize,
    size_t *outlen)
{
	if (strncmp(hex, "\\x", 2) != 0 || sodium_hex2bin(out, outsize,
	    hex + 2, strlen(hex + 2), NULL, outlen, NULL) != 0)
		return (MW_ERROR);
	return (MW_OK);
}

/*
 * A form's time stamp, "<unix seconds>.<mac>": when the form was shown,
 * so that a send after less than a human's fill time can be refused.  The
 * MAC keeps clients from back-dating it.
 */
static void
form_mac(const struct keys *k, const char *secs, size_t len, char *hex)
{
	unsigned char	mac[16];
	char		msg[48];
	int		n;

	n = snprintf(msg, sizeof(msg), "form-stamp:%.*s", (int)len, secs);
	crypto_generichash(mac, sizeof(mac), (const unsigned char *)msg,
	    (size_t)n, k->token, sizeof(k->token));
	sodium_bin2hex(hex, sizeof(mac) * 2 + 1, mac, sizeof(mac));
}

void
form_stamp(const struct keys *k, long long now, char *out, size_t len)
{
	char	secs[24], hex[33];
	int	n;

	n = snprintf(secs, sizeof(secs), "%lld", now);
	form_mac(k, secs, (size_t)n, hex);
	(void)snprintf(out, len, "%s.%s", secs, hex);
}

/* The stamp's age in seconds; MW_ERROR if it is forged or malformed. */
int
form_stamp_age(const struct keys *k, const char *stamp, long long now,
    long long *age)
{
	const char	*dot;
	char		hex[33];
	size_t		i, n;

	if ((dot = strchr(stamp, '.')) == NULL)
		return (MW_ERROR);
	n = (size_t)(dot - stamp);
	if (n == 0 || n > 19)
		return (MW_ERROR);
	for (i = 0; i < n; i++) {
		if (stamp[i] < '0' || stamp[i] > '9')
			return (MW_ERROR);
	}
	if (strlen(dot + 1) != 32)
		return (MW_ERROR);
	form_mac(k, stamp, n, hex);
	if (sodium_memcmp(hex, dot + 1, 32) != 0)
		return (MW_ERROR);
	*age = now - strtoll(stamp, NULL, 10);
	return (MW_OK);
}
