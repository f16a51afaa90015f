/*
 * nextpath_ok decides where sign-in sends a person (?next=).  Whatever it
 * accepts must be a path on this site as a browser reads it: one leading
 * slash, not two, no backslash, nothing a browser strips or decodes into
 * a host, and bounded.  nextpath_why answers a code for every input.
 */

#include "mitwirken.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*why;
	char		*s;
	size_t		i, len;

	s = fuzz_cstring(data, size);
	if (nextpath_ok(s)) {
		len = strlen(s);
		FUZZ_ASSERT(len >= 1 && len <= NEXTPATH_MAX);
		FUZZ_ASSERT(s[0] == '/');
		FUZZ_ASSERT(len == 1 || (s[1] != '/' && s[1] != '\\'));
		for (i = 0; i < len; i++) {
			FUZZ_ASSERT(s[i] > 0x20 && s[i] < 0x7f);
			FUZZ_ASSERT(s[i] != '\\');
		}
		FUZZ_ASSERT(strncmp(s, "/anmelden", 9) != 0);
	}
	why = nextpath_why(s);
	FUZZ_ASSERT(why != NULL && *why != '\0');
	free(s);
	return (0);
}
