/*
 * The one authorization function.  Routes declare which roles may use
 * them; resource-level checks (whose session, whose data) are made in the
 * SQL of each operation by scoping it to the principal's account, so a
 * missing check returns nothing rather than someone else's data.
 */

#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

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

/*
 * Whether a state-changing request may come from where it says: browsers
 * send Sec-Fetch-Site and Origin; a cross-site request is refused.  Either
 * header may be absent (older browsers, API clients): then the synchronizer
 * token carries the check alone.  The Origin must be ours as a whole,
 * scheme included: "evil://host" is not "http://host".
 */
int
authz_origin_allowed(const char *sec_fetch_site, const char *origin,
    const char *scheme, const char *host)
{
	size_t	n;

	if (sec_fetch_site != NULL && strcmp(sec_fetch_site, "cross-site") == 0)
		return (MW_ERROR);
	if (origin == NULL)
		return (MW_OK);
	if (strcmp(origin, "null") == 0 || host == NULL)
		return (MW_ERROR);
	n = strlen(scheme);
	if (strncmp(origin, scheme, n) != 0 || strncmp(origin + n, "://", 3))
		return (MW_ERROR);
	return (strcmp(origin + n + 3, host) == 0 ? MW_OK : MW_ERROR);
}
