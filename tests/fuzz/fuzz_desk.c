/*
 * The moderation desk's cursor (desk_cursor_ok) and its date with time
 * (desk_when).  A cursor reaches SQL's split_part(...)::bigint casts only
 * if accepted, so an accepted one must be exactly four signed integers
 * joined by dots, each of which a bigint holds; the input's first line
 * also goes to desk_when, whose words must fit any buffer and which
 * echoes what it cannot read.
 */

#include <errno.h>
#include <limits.h>

#include "mitwirken.h"
#include "fuzz.h"

/* What SQL will do with an accepted cursor: four bigints, no rest. */
static void
check_cursor(const char *s)
{
	const char	*p = s;
	char		*end;
	long long	v;
	int		i;

	for (i = 0; i < 4; i++) {
		if (i > 0) {
			FUZZ_ASSERT(*p == '.');
			p++;
		}
		FUZZ_ASSERT(*p == '-' || (*p >= '0' && *p <= '9'));
		errno = 0;
		v = strtoll(p, &end, 10);
		FUZZ_ASSERT(errno == 0 && end > p);
		(void)v;
		p = end;
	}
	FUZZ_ASSERT(*p == '\0');
}

static void
check_when(const char *s, enum lang l)
{
	char	out[64], tiny[8];
	size_t	n;

	desk_when(s, l, out, sizeof(out));
	n = strlen(out);
	FUZZ_ASSERT(n < sizeof(out));
	/* A time read comes out as words ending in "hh:mm". */
	if (strlen(s) == 16 && strcmp(out, s) != 0 && n >= 5)
		FUZZ_ASSERT(strcmp(out + n - 5, s + 11) == 0);
	desk_when(s, l, tiny, sizeof(tiny));
	FUZZ_ASSERT(strlen(tiny) < sizeof(tiny));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	s = fuzz_cstring(data, size);
	if (desk_cursor_ok(s))
		check_cursor(s);
	check_when(s, LANG_DE);
	check_when(s, LANG_EN);
	FUZZ_ASSERT(!desk_cursor_ok(NULL));
	free(s);
	return (0);
}
