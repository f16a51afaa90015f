/*
 * The moderation desk's pure helper: the keyset cursor of its list (the
 * order's key "s1.s2.s3.s4", see sql/functions/moderation_desk.sql),
 * checked here so that a tampered link is refused before it reaches a
 * cast in SQL.  The desk's dates with their time come from when.c
 * (page_date), the one formatter of the site.
 */

#include <string.h>

#include "mitwirken.h"

/* 16 digits hold 2^53 and every microsecond time until the year 2286. */
#define CURSOR_DIGITS	16

int
desk_cursor_ok(const char *s)
{
	int	parts, digits;

	if (s == NULL)
		return (0);
	for (parts = 0; parts < 4; parts++) {
		if (parts > 0 && *s++ != '.')
			return (0);
		if (*s == '-')
			s++;
		for (digits = 0; *s >= '0' && *s <= '9'; s++)
			digits++;
		if (digits < 1 || digits > CURSOR_DIGITS)
			return (0);
	}
	return (*s == '\0');
}
