/*
 * Password rules (NIST SP 800-63B style, DESIGN.md): 12 to 128 characters
 * of any Unicode, no composition rules, never truncated, and not one of
 * the 10,000 most common passwords (assets/common-passwords.txt, compared
 * without regard to ASCII case).
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mitwirken.h"

static char	**common;
static size_t	ncommon;

static int
cmp(const void *a, const void *b)
{
	return (strcasecmp(*(char *const *)a, *(char *const *)b));
}

/* The list is one password a line; the buffer must outlive the table. */
int
passwords_load(char *data, size_t len)
{
	char	*p, *nl, *end;
	size_t	cap;

	cap = 1024;
	if ((common = malloc(cap * sizeof(*common))) == NULL)
		abort();
	ncommon = 0;
	end = data + len;
	for (p = data; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		*nl = '\0';
		if (*p == '\0')
			continue;
		if (ncommon == cap) {
			cap *= 2;
			if ((common = realloc(common, cap * sizeof(*common))) ==
			    NULL)
				abort();
		}
		common[ncommon++] = p;
	}
	qsort(common, ncommon, sizeof(*common), cmp);
	return (ncommon > 0 ? MW_OK : MW_ERROR);
}

int
passwords_common(const char *pw)
{
	if (common == NULL)
		return (0);
	return (bsearch(&pw, common, ncommon, sizeof(*common), cmp) != NULL);
}

/* NULL when acceptable, else the reason to show next to the field. */
const char *
passwords_problem(const char *pw, size_t len)
{
	size_t	chars;

	if (memchr(pw, '\0', len) != NULL || !utf8_valid_text(pw, len))
		return ("must be valid text");
	chars = utf8_length(pw, len);
	if (chars < PASSWORD_MIN)
		return ("must be at least 12 characters long");
	if (chars > PASSWORD_MAX)
		return ("must be at most 128 characters long");
	if (passwords_common(pw))
		return ("is one of the most common passwords; choose another");
	return (NULL);
}
