/*
 * agent_parse reads a stored User-Agent header, which anyone can set to
 * anything.  Whatever the bytes: no read past them, and both answers are
 * codes from the catalogue's lists (the page turns each into words).
 */

#include "mitwirken.h"
#include "fuzz.h"

static int
one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(s, *list) == 0)
			return (1);
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const browsers[] = { "firefox", "chrome",
	    "chromium", "edge", "safari", "opera", "samsung", "unknown",
	    NULL };
	static const char *const systems[] = { "android", "ios", "ipados",
	    "windows", "macos", "linux", "chromeos", "unknown", NULL };
	struct agent	a;
	char		*copy;

	/* Not NUL-terminated: the parser must keep to the length. */
	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	agent_parse(copy, size, &a);
	FUZZ_ASSERT(one_of(a.browser, browsers));
	FUZZ_ASSERT(one_of(a.os, systems));
	free(copy);
	return (0);
}
