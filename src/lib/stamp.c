/*
 * Form stamps: the time a form was served, MACed, so a form sent faster
 * than a person could fill it (a bot) or with a forged time is refused.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mitwirken.h"

/*
 * A form's time stamp, "<unix seconds>.<mac>": when the form was shown,
 * so that a send after less than a human's fill time can be refused.  The
 * MAC keeps clients from back-dating it.
 */
static void
stamp_mac(const struct keys *k, const char *secs, size_t len, char *hex)
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
stamp_new(const struct keys *k, long long now, char *out, size_t len)
{
	char	secs[24], hex[33];
	int	n;

	n = snprintf(secs, sizeof(secs), "%lld", now);
	stamp_mac(k, secs, (size_t)n, hex);
	(void)snprintf(out, len, "%s.%s", secs, hex);
}

/* The stamp's age in seconds; MW_ERROR if it is forged or malformed. */
int
stamp_age(const struct keys *k, const char *stamp, long long now,
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
	stamp_mac(k, stamp, n, hex);
	if (sodium_memcmp(hex, dot + 1, 32) != 0)
		return (MW_ERROR);
	*age = now - strtoll(stamp, NULL, 10);
	return (MW_OK);
}

/*
 * Whether a form with this stamp may be taken, given the least and the
 * most seconds since it was shown.  Old stamps expire so that a form
 * captured once (a bot's template, a page left on a shared computer)
 * cannot be replayed for ever; a stamp from the future counts as too
 * young rather than as forged, since only a clock step can make one.
 */
enum stamp_verdict
stamp_check(const struct keys *k, const char *stamp, long long now,
    long long min, long long max)
{
	long long	age;

	if (stamp == NULL || !stamp_age(k, stamp, now, &age))
		return (STAMP_FORGED);
	if (age < min)
		return (STAMP_TOO_YOUNG);
	if (age > max)
		return (STAMP_EXPIRED);
	return (STAMP_OK);
}
