/*
 * What citizens type into ideas and comments (validate.c), and the form
 * stamps that time a form (stamp.c): validate_text, validate_decimal,
 * validate_point, validate_cursor and stamp_age, each held against an
 * independent reading of its rule.
 */

#include <math.h>

#include <sodium.h>

#include "mitwirken.h"
#include "fuzz.h"

static struct keys	keys;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char	file[64];

	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	memset(file, 9, sizeof(file));
	if (!keys_derive(&keys, file, sizeof(file)))
		abort();
	return (0);
}

static int
space(char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

static void
check_text(const char *s, size_t min, size_t max, int multiline)
{
	const char	*problem;
	size_t		start, len, n, i;

	problem = validate_text(s, min, max, multiline, &start, &len);
	if (problem != NULL)
		return;
	FUZZ_ASSERT(utf8_valid_text(s, strlen(s)));
	/* No direction override or isolate, U+202A..E, U+2066..9. */
	for (i = 0; i < 9; i++) {
		char	seq[4] = { (char)0xe2, (char)(i < 5 ? 0x80 : 0x81),
			    (char)(i < 5 ? 0xaa + i : 0xa6 + i - 5), 0 };

		FUZZ_ASSERT(strstr(s, seq) == NULL);
	}
	FUZZ_ASSERT(start + len <= strlen(s) && len > 0);
	FUZZ_ASSERT(!space(s[start]) && !space(s[start + len - 1]));
	for (i = 0; i < start; i++)
		FUZZ_ASSERT(space(s[i]));
	for (i = start + len; s[i] != '\0'; i++)
		FUZZ_ASSERT(space(s[i]));
	if (!multiline)
		FUZZ_ASSERT(memchr(s + start, '\n', len) == NULL &&
		    memchr(s + start, '\r', len) == NULL);
	for (i = start, n = 0; i < start + len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	FUZZ_ASSERT(n >= min && n <= max);
}

static void
check_decimal(const char *s)
{
	const double	box[4] = { 10.40, 52.18, 10.72, 52.36 };
	double		d;
	size_t		i;

	if (!validate_decimal(s, &d))
		return;
	FUZZ_ASSERT(isfinite(d));
	for (i = 0; s[i] != '\0'; i++)
		FUZZ_ASSERT((s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == ',' || (i == 0 && s[i] == '-'));
	if (validate_point(d, d, box))
		FUZZ_ASSERT(d >= 52.18 && d <= 10.72);	/* never */
}

static void
check_cursor(const char *s)
{
	long long	a, b;
	char		again[64];

	if (!validate_cursor(s, s[0], &a, &b))
		return;
	FUZZ_ASSERT(a >= 0 && b > 0);
	(void)snprintf(again, sizeof(again), "%c.%lld.%lld", s[0], a, b);
	/* Only leading zeros may make the canonical form differ. */
	if (strlen(again) == strlen(s))
		FUZZ_ASSERT(strcmp(again, s) == 0);
}

static void
check_stamp(const char *s)
{
	long long	age, secs;
	char		again[64];

	if (!stamp_age(&keys, s, 2000000000LL, &age))
		return;
	/* Accepted only what form_stamp made for that time. */
	secs = 2000000000LL - age;
	stamp_new(&keys, secs, again, sizeof(again));
	FUZZ_ASSERT(strcmp(again, s) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	s = fuzz_cstring(data, size);
	check_text(s, 5, 120, 0);
	check_text(s, 1, 5000, 1);
	check_decimal(s);
	check_cursor(s);
	check_stamp(s);
	free(s);
	return (0);
}
