/*
 * Where sign-in goes on to (?next=): only a path on this site.  Anything
 * a browser could read as another host is refused, so the parameter
 * cannot be used to send a person from our sign-in page to someone
 * else's (an open redirect): "//evil", "/\evil", "https://evil",
 * control characters a browser strips ("/\t/evil"), and over-long values.
 */

#include <string.h>

#include "mitwirken.h"

int
nextpath_ok(const char *s)
{
	size_t	i, len;

	if (s == NULL || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return (MW_ERROR);
	len = strlen(s);
	if (len > NEXTPATH_MAX)
		return (MW_ERROR);
	for (i = 0; i < len; i++) {
		/* Printable ASCII only; other bytes arrive percent-encoded. */
		if ((unsigned char)s[i] <= 0x20 ||
		    (unsigned char)s[i] >= 0x7f || s[i] == '\\')
			return (MW_ERROR);
	}
	/* The sign-in itself would ask again, for ever. */
	if (strncmp(s, "/anmelden", 9) == 0 || strncmp(s, "/abmelden", 9) == 0)
		return (MW_ERROR);
	return (MW_OK);
}

/*
 * Why a page needs a person signed in, for the sign-in page's sentence:
 * the action a path stands for, "page" when it names none.
 */
const char *
nextpath_why(const char *path)
{
	static const struct {
		const char	*prefix;
		const char	*why;
	} map[] = {
		{ "/ideen/neu", "idea" }, { "/konto", "account" },
		{ "/maengel/neu", "defect" }, { "/umfragen/", "survey" },
	};
	size_t	i;

	for (i = 0; path != NULL && i < sizeof(map) / sizeof(map[0]); i++) {
		if (strncmp(path, map[i].prefix, strlen(map[i].prefix)) == 0)
			return (map[i].why);
	}
	return ("page");
}
