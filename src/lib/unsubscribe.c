/*
 * Unsubscribe links that work without signing in (README
 * "Notifications"): the token names the account and the kind of
 * notification and carries a keyed MAC of both, so checking it needs no
 * stored secret and no table lookup, and nobody can make one for another
 * account or kind:
 *   <version>.<account id>.<kind>.<MAC(keys.token, "unsubscribe:"
 *       <version> ":" <account id> ":" <kind>), base64url>
 * The version is inside the MAC: raising UNSUB_VERSION retires every link
 * mailed before (as does a new key file), without a table of old tokens.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

const char *const notify_kinds[] = { "idea_decision", "idea_status",
    "comment_reply", "defect_status", NULL };

/* The kind's index in notify_kinds, or -1. */
int
notify_kind(const char *name)
{
	int	i;

	for (i = 0; notify_kinds[i] != NULL; i++) {
		if (strcmp(notify_kinds[i], name) == 0)
			return (i);
	}
	return (-1);
}

/*
 * The switch that governs a mail template, or -1 for mail no switch
 * turns off (confirmations, resets): a notification kind's own, and the
 * department's messages about a report under defect_status, since both
 * are "news about my report" and whoever switched that off wants none.
 */
int
notify_switch(const char *template)
{
	if (template != NULL && strcmp(template, "defect_message") == 0)
		return (notify_kind("defect_status"));
	return (template != NULL ? notify_kind(template) : -1);
}

static void
unsub_mac(const struct keys *k, int version, long long account,
    const char *kind, char *mac)
{
	char	subject[64];

	(void)snprintf(subject, sizeof(subject), "%d:%lld:%s", version,
	    account, kind);
	token_derive(k, "unsubscribe", subject, mac);
}

/* out must hold UNSUB_TOKEN_MAX + 1 bytes. */
void
unsub_token(const struct keys *k, long long account, int kind, char *out)
{
	char	mac[TOKEN_LEN + 1];

	unsub_mac(k, UNSUB_VERSION, account, notify_kinds[kind], mac);
	(void)snprintf(out, UNSUB_TOKEN_MAX + 1, "%d.%lld.%s.%s",
	    UNSUB_VERSION, account, notify_kinds[kind], mac);
}

/*
 * An id: a whole number from 1 to 2^53 - 1 (what a JSON number carries
 * exactly), in canonical form (no sign, no zero first).
 */
static int
positive(const char *s, size_t n, long long *out)
{
	size_t	i;

	if (n == 0 || n > 16 || s[0] == '0')
		return (MW_ERROR);
	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (MW_ERROR);
		*out = *out * 10 + (s[i] - '0');
	}
	return (*out <= 9007199254740991LL);
}

/*
 * Checks a presented token; on success sets the account and the kind's
 * index.  Anything malformed, of another version or with a wrong MAC is
 * refused alike.
 */
int
unsub_check(const struct keys *k, const char *token, long long *account,
    int *kind)
{
	const char	*p, *dot;
	char		name[32], want[TOKEN_LEN + 1];
	long long	version;
	size_t		n;

	if (token == NULL || strlen(token) > UNSUB_TOKEN_MAX)
		return (MW_ERROR);
	if ((dot = strchr(token, '.')) == NULL ||
	    !positive(token, (size_t)(dot - token), &version) ||
	    version != UNSUB_VERSION)
		return (MW_ERROR);
	p = dot + 1;
	if ((dot = strchr(p, '.')) == NULL ||
	    !positive(p, (size_t)(dot - p), account))
		return (MW_ERROR);
	p = dot + 1;
	if ((dot = strchr(p, '.')) == NULL ||
	    (n = (size_t)(dot - p)) >= sizeof(name))
		return (MW_ERROR);
	memcpy(name, p, n);
	name[n] = '\0';
	if ((*kind = notify_kind(name)) < 0 || !token_valid(dot + 1))
		return (MW_ERROR);
	unsub_mac(k, UNSUB_VERSION, *account, name, want);
	return (token_equal(dot + 1, want));
}
