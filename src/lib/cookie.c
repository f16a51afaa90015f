/*
 * Cookies: finding one in a Cookie header and formatting a Set-Cookie
 * value with the attributes the privacy design asks for.
 */

#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

/* The value of one cookie in a Cookie header, or MW_ERROR. */
int
cookie_find(const char *header, const char *name, char *out, size_t outlen)
{
	const char	*p, *end, *eq;
	size_t		nlen, vlen;

	nlen = strlen(name);
	for (p = header; *p != '\0'; p = (*end == ';') ? end + 1 : end) {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, ";");
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq != NULL && (size_t)(eq - p) == nlen &&
		    memcmp(p, name, nlen) == 0) {
			vlen = (size_t)(end - eq - 1);
			if (vlen >= outlen)
				return (MW_ERROR);
			memcpy(out, eq + 1, vlen);
			out[vlen] = '\0';
			return (MW_OK);
		}
		if (*end == '\0')
			break;
	}
	return (MW_ERROR);
}

/*
 * The session cookie: HttpOnly (no script reads it), SameSite=Lax (not
 * sent on cross-site POSTs), Path=/; behind TLS also Secure, and the
 * __Host- prefix in its name pins it to this host.  max_age 0 deletes it.
 */
void
cookie_format(char *out, size_t len, const char *name, const char *value,
    int max_age, int secure)
{
	(void)snprintf(out, len, "%s=%s; Path=/; Max-Age=%d; HttpOnly; "
	    "SameSite=Lax%s", name, value, max_age, secure ? "; Secure" : "");
}
