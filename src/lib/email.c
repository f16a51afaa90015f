/*
 * E-mail addresses: the normal form an account is found by, and its keyed
 * MAC (email_lookup), the only form of an address the database can search.
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "mitwirken.h"

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
