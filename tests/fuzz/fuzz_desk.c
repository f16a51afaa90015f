/*
 * The moderation desk's cursor (desk_cursor_ok).  A cursor reaches SQL's
 * split_part(...)::bigint casts only if accepted, so an accepted one must
 * be exactly four signed integers joined by dots, each of which a bigint
 * holds.  (The desk's dates are when.c's, fuzzed by fuzz_when.)
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	s = fuzz_cstring(data, size);
	if (desk_cursor_ok(s))
		check_cursor(s);
	FUZZ_ASSERT(!desk_cursor_ok(NULL));
	free(s);
	return (0);
}
