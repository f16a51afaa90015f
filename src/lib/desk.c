/*
 * The moderation desk's pure helpers: the keyset cursor of its list (the
 * order's key "s1.s2.s3.s4", see sql/functions/moderation_desk.sql),
 * checked here so that a tampered link is refused before it reaches a
 * cast in SQL, and a date with its time in the reader's words
 * ("2. Dezember 2026, 22:07"), as a moderator needs to tell items of the
 * same day apart.
 */

#include <stdio.h>
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

static int
two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return (-1);
	return ((s[0] - '0') * 10 + (s[1] - '0'));
}

/*
 * "2026-12-02T22:07" (local time, from SQL's to_char) as
 * "2. Dezember 2026, 22:07" or "2 December 2026, 22:07"; anything else
 * comes out unchanged, so a surprise shows rather than vanishes.
 */
void
desk_when(const char *local, enum lang l, char *out, size_t len)
{
	static const char *const de[] = { "Januar", "Februar", "März",
	    "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
	    "November", "Dezember" };
	static const char *const en[] = { "January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December" };
	const char	*name;
	unsigned	m;
	int		month, day, hour, minute, i;

	if (local == NULL || strlen(local) != 16 || local[4] != '-' ||
	    local[7] != '-' || local[10] != 'T' || local[13] != ':')
		goto raw;
	for (i = 0; i < 4; i++) {
		if (local[i] < '0' || local[i] > '9')
			goto raw;
	}
	month = two(local + 5);
	day = two(local + 8);
	hour = two(local + 11);
	minute = two(local + 14);
	m = (unsigned)month - 1;
	if (m >= 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
	    minute < 0 || minute > 59)
		goto raw;
	name = l == LANG_EN ? en[m] : de[m];
	(void)snprintf(out, len, l == LANG_EN ? "%d %s %.4s, %.5s" :
	    "%d. %s %.4s, %.5s", day, name, local, local + 11);
	return;
raw:
	(void)snprintf(out, len, "%s", local != NULL ? local : "");
}
