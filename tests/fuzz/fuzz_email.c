/*
 * email_normalize decides which addresses an account can have and what
 * email_lookup hashes.  What it accepts must be the input with surrounding
 * blanks trimmed and ASCII letters lower-cased, and have the shape it
 * checks: one '@' after a local part, a dotted domain, no white space.
 */

#include "mitwirken.h"
#include "fuzz.h"

static int
blank(char c)
{
	return (c == ' ' || c == '\t');
}

static void
check_accepted(const char *in, const char *out, size_t outlen)
{
	const char	*start, *end, *at;
	size_t		len, i;
	char		c;

	for (start = in; blank(*start); start++)
		;
	for (end = start + strlen(start); end > start && blank(end[-1]); end--)
		;
	len = (size_t)(end - start);
	FUZZ_ASSERT(strlen(out) == len && len < outlen && len <= EMAIL_MAX);
	for (i = 0; i < len; i++) {
		c = start[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		FUZZ_ASSERT(out[i] == c);
		FUZZ_ASSERT(!(out[i] >= 'A' && out[i] <= 'Z'));
		FUZZ_ASSERT(out[i] != ' ' && out[i] != '\t' &&
		    out[i] != '\n' && out[i] != '\r');
	}
	FUZZ_ASSERT((at = strchr(out, '@')) != NULL && at > out);
	FUZZ_ASSERT(strchr(at + 1, '@') == NULL);
	FUZZ_ASSERT(strchr(at + 1, '.') != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	lookup[EMAIL_LOOKUP_LEN];
	struct keys	k;
	char		*in, out[EMAIL_MAX + 1], small[16];

	in = fuzz_cstring(data, size);
	memset(out, 0x55, sizeof(out));
	if (email_normalize(in, out, sizeof(out))) {
		check_accepted(in, out, sizeof(out));
		memset(&k, 0, sizeof(k));
		email_lookup(&k, out, lookup);
	}
	/* A buffer too small for the address is refused, not overrun. */
	if (email_normalize(in, small, sizeof(small)))
		check_accepted(in, small, sizeof(small));
	free(in);
	return (0);
}
