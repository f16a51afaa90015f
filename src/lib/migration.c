/*
 * Migration files are named NNN_words.sql: a version number, an
 * underscore, lower-case words.  Versions are unique and applied in order.
 * Repeatable files in sql/functions/ are named words.sql and applied when
 * their checksum changed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

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

/*
 * Repeatable files are named words.sql: lower-case words, the name of the
 * function the file defines.  They start with a letter, so no file passes
 * for both kinds.
 */
int
migration_parse_repeatable(const char *name)
{
	const char	*p, *ext;

	if (*name < 'a' || *name > 'z')
		return (MW_ERROR);
	ext = strrchr(name, '.');
	if (ext == NULL || strcmp(ext, ".sql") != 0 ||
	    ext - name > MIGRATION_STEM_MAX)
		return (MW_ERROR);
	for (p = name; p < ext; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'))
			return (MW_ERROR);
	}
	return (MW_OK);
}

/* The hex SHA-256 of a file's bytes: out holds MIGRATION_CHECKSUM_LEN + 1. */
void
migration_checksum(const void *data, size_t len, char *out)
{
	unsigned char	hash[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(hash, data, len);
	sodium_bin2hex(out, MIGRATION_CHECKSUM_LEN + 1, hash, sizeof(hash));
}

static int
by_name(const void *a, const void *b)
{
	const struct repeatable	*x = a, *y = b;

	return (strcmp(x->name, y->name));
}

/* Name order, so every run applies and reports them alike. */
void
migration_sort_repeatables(struct repeatable *r, int n)
{
	qsort(r, (size_t)n, sizeof(*r), by_name);
}

/*
 * The database recorded name with checksum: a file of that name whose
 * checksum is the same is no longer pending.  Returns whether the file
 * still exists; a recorded name without a file is forgotten.
 */
int
migration_seen(struct repeatable *r, int n, const char *name,
    const char *checksum)
{
	int	i;

	for (i = 0; i < n; i++) {
		if (strcmp(r[i].name, name) != 0)
			continue;
		if (strcmp(r[i].checksum, checksum) == 0)
			r[i].pending = 0;
		return (1);
	}
	return (0);
}
