/*
 * The two header parsers of session.c: cookie_find picks the session token
 * out of a Cookie header, origin_allowed decides whether a state-changing
 * request may come from where it says.  The input is split at NUL bytes
 * into Cookie, Sec-Fetch-Site, Origin and Host; missing ones are absent.
 */

#include "mitwirken.h"
#include "fuzz.h"

static const char *const	names[] = {
	"mw_session", "__Host-mw_session", "csrf", "", NULL
};

/*
 * A found value is that of a "name=value" pair of the header: at its
 * start or after a ';' and blanks, and running to the next ';' or the end.
 */
static int
pair_present(const char *header, const char *name, const char *value)
{
	const char	*p, *q;
	size_t		nlen, vlen;

	nlen = strlen(name);
	vlen = strlen(value);
	for (p = header; (p = strstr(p, name)) != NULL && *p != '\0'; p++) {
		for (q = p; q > header && q[-1] == ' '; q--)
			;
		if (q != header && q[-1] != ';')
			continue;
		if (p[nlen] == '=' && strncmp(p + nlen + 1, value, vlen) == 0 &&
		    (p[nlen + 1 + vlen] == ';' || p[nlen + 1 + vlen] == '\0'))
			return (1);
	}
	return (0);
}

static void
check_cookie(const char *header, const char *name, size_t outlen)
{
	char	out[TOKEN_LEN + 1];

	memset(out, 0x55, sizeof(out));
	if (!cookie_find(header, name, out, outlen))
		return;
	FUZZ_ASSERT(strlen(out) < outlen);
	FUZZ_ASSERT(strchr(out, ';') == NULL);
	FUZZ_ASSERT(pair_present(header, name, out));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*copy, *part[4];
	const char	*o;
	int		i, ok;

	copy = fuzz_split(data, size, part, 4);
	for (i = 0; names[i] != NULL; i++) {
		check_cookie(part[0], names[i], TOKEN_LEN + 1);
		check_cookie(part[0], names[i], 1 + size % (TOKEN_LEN + 1));
	}

	ok = authz_origin_allowed(part[1], part[2], "http", part[3]);
	if (part[1] != NULL && strcmp(part[1], "cross-site") == 0)
		FUZZ_ASSERT(!ok);
	else if (part[2] == NULL)
		FUZZ_ASSERT(ok);
	if (ok && part[2] != NULL) {
		/* An Origin is "scheme://host[:port]"; it must name us. */
		FUZZ_ASSERT(part[3] != NULL && strcmp(part[2], "null") != 0);
		FUZZ_ASSERT(strncmp(part[2], "http://", 7) == 0);
		o = part[2] + 7;
		FUZZ_ASSERT(strcmp(o, part[3]) == 0);
	}
	free(copy);
	return (0);
}
