/*
 * PostgreSQL bytea in hex form (\x...), for binary query parameters.
 */

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "mitwirken.h"

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
