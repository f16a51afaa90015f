/*
 * The migrator trusts migration_parse_name to keep badly named files out
 * and migration_sort to order the rest.  Each line of the input is a file
 * name; accepted names have the shape NNN_words.sql and the version is the
 * number in front, and the sorted list is strictly increasing.  Names that
 * migration_parse_repeatable accepts have the shape words.sql (a function's
 * name, at most 63 characters), and no name passes for both kinds.
 */

#include "mitwirken.h"
#include "fuzz.h"

#define NAMES_MAX	16

static void
check_name(const char *name, long version)
{
	const char	*p, *ext;
	long		v;
	size_t		len, digits;

	for (p = name, digits = 0; *p >= '0' && *p <= '9'; p++)
		digits++;
	FUZZ_ASSERT(digits >= 3 && *p == '_');
	/* Past 18 digits the number itself would not fit a long. */
	if (digits <= 18) {
		for (p = name, v = 0; *p != '_'; p++)
			v = v * 10 + (*p - '0');
		FUZZ_ASSERT(version == v);
	}
	len = strlen(name);
	FUZZ_ASSERT(len >= 4 && strcmp(name + len - 4, ".sql") == 0);
	ext = name + len - 4;
	FUZZ_ASSERT(ext > p + 1);
	for (p++; p < ext; p++)
		FUZZ_ASSERT((*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_');
}

static void
check_repeatable(const char *name)
{
	const char	*p;
	size_t		len;

	len = strlen(name);
	FUZZ_ASSERT(len > 4 && len - 4 <= MIGRATION_STEM_MAX);
	FUZZ_ASSERT(strcmp(name + len - 4, ".sql") == 0);
	FUZZ_ASSERT(*name >= 'a' && *name <= 'z');
	for (p = name; p < name + len - 4; p++)
		FUZZ_ASSERT((*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct migration	m[NAMES_MAX];
	char			*copy, *line, *next, err[600];
	long			version;
	int			i, n;

	copy = fuzz_cstring(data, size);
	for (n = 0, line = copy; line != NULL && n < NAMES_MAX; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (migration_parse_repeatable(line)) {
			check_repeatable(line);
			FUZZ_ASSERT(!migration_parse_name(line, &version));
			continue;
		}
		if (!migration_parse_name(line, &version))
			continue;
		check_name(line, version);
		(void)snprintf(m[n].name, sizeof(m[n].name), "%s", line);
		m[n++].version = version;
	}
	if (migration_sort(m, n, err, sizeof(err))) {
		for (i = 1; i < n; i++)
			FUZZ_ASSERT(m[i - 1].version < m[i].version);
	} else {
		FUZZ_ASSERT(n > 1 && err[0] != '\0');
	}
	free(copy);
	return (0);
}
