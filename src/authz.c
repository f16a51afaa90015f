/*
 * The one authorization function.  Routes declare which roles may use
 * them; resource-level checks (whose session, whose data) are made in the
 * SQL of each operation by scoping it to the principal's account, so a
 * missing check returns nothing rather than someone else's data.
 */

#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

static const struct {
	const char	*name;
	int		bit;
} roles[] = {
	{ "citizen", ROLE_CITIZEN },
	{ "moderator", ROLE_MODERATOR },
	{ "staff", ROLE_STAFF },
	{ "planner", ROLE_PLANNER },
	{ "board", ROLE_BOARD },
	{ "admin", ROLE_ADMIN },
};

int
role_from_name(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (strcmp(roles[i].name, name) == 0)
			return (roles[i].bit);
	}
	return (0);
}

const char *
role_name(int bit)
{
	size_t	i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (roles[i].bit == bit)
			return (roles[i].name);
	}
	return (NULL);
}

/*
 * 0 when allowed, else the status to answer: 401 when nobody is signed in,
 * 403 when the account lacks every role in need.  need 0 means any signed-in
 * account; every account is a citizen.
 */
int
authz_check(const struct principal *p, int auth, int need)
{
	if (auth != AUTH_REQUIRED)
		return (0);
	if (p->account_id == 0)
		return (401);
	if (need == 0 || ((p->roles | ROLE_CITIZEN) & need) != 0)
		return (0);
	return (403);
}

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
 * Whether a state-changing request may come from where it says: browsers
 * send Sec-Fetch-Site and Origin; a cross-site request is refused.  Either
 * header may be absent (older browsers, API clients): then the synchronizer
 * token carries the check alone.
 */
int
origin_allowed(const char *sec_fetch_site, const char *origin,
    const char *host)
{
	const char	*o;

	if (sec_fetch_site != NULL && strcmp(sec_fetch_site, "cross-site") == 0)
		return (MW_ERROR);
	if (origin == NULL)
		return (MW_OK);
	if (strcmp(origin, "null") == 0 || host == NULL)
		return (MW_ERROR);
	if ((o = strstr(origin, "://")) == NULL)
		return (MW_ERROR);
	return (strcmp(o + 3, host) == 0 ? MW_OK : MW_ERROR);
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
