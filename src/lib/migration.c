/*
 * Migration files are named NNN_words.sql: a version number, an
 * underscore, lower-case words.  Versions are unique and applied in order.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

int
migration_parse_name(const char *name, long *version)
{
	const char	*p, *ext;
	size_t		digits;

	for (p = name, digits = 0; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (digits < 3 || digits > 9 || *p != '_')
		return (MW_ERROR);
	ext = strrchr(name, '.');
	if (ext == NULL || strcmp(ext, ".sql") != 0 || ext == p + 1)
		return (MW_ERROR);
	for (p++; p < ext; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'))
			return (MW_ERROR);
	}
	*version = strtol(name, NULL, 10);
	return (MW_OK);
}

static int
by_version(const void *a, const void *b)
{
	const struct migration	*x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

/* Sorts by version; two files with one version are an error. */
int
migration_sort(struct migration *m, int n, char *err, size_t errlen)
{
	int	i;

	qsort(m, (size_t)n, sizeof(*m), by_version);
	for (i = 1; i < n; i++) {
		if (m[i].version == m[i - 1].version) {
			(void)snprintf(err, errlen, "%s and %s share version "
			    "%ld", m[i - 1].name, m[i].name, m[i].version);
			return (MW_ERROR);
		}
	}
	return (MW_OK);
}
