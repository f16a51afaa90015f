/*
 * Prints a form stamp for the unix time given, signed with the key file of
 * MITWIRKEN_KEY_FILE: the one way a test can hold a genuine old stamp
 * (tests/http/idea_pages.test.mjs, an expired form).
 */

#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "mitwirken.h"

int
main(int argc, char *argv[])
{
	struct keys	k;
	const char	*path;
	char		stamp[64];

	path = getenv("MITWIRKEN_KEY_FILE");
	if (argc != 2 || path == NULL || sodium_init() < 0 ||
	    !keys_load(&k, path)) {
		fprintf(stderr, "usage: MITWIRKEN_KEY_FILE=f mkstamp SECONDS\n");
		return (1);
	}
	stamp_new(&k, strtoll(argv[1], NULL, 10), stamp, sizeof(stamp));
	puts(stamp);
	sodium_memzero(&k, sizeof(k));
	return (0);
}
