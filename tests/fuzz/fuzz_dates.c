/*
 * The calendar dates the settings, the evaluation report and the project
 * registry accept (schedule_parse, progress_day).  Whatever the input:
 * an accepted date prints back exactly as it was written; progress_day
 * takes the same days (alone or at the head of a timestamp) and counts
 * them without a gap: the day after a date is one day later, across
 * month and year ends and 29 February.
 */

#include "mitwirken.h"
#include "fuzz.h"

static void
next_day(const struct sdate *d, struct sdate *out)
{
	*out = *d;
	if (++out->d <= schedule_month_days(out->y, out->m))
		return;
	out->d = 1;
	if (++out->m <= 12)
		return;
	out->m = 1;
	out->y++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s, buf[16];
	struct sdate	d, n;
	long		day, later;
	int		ok;

	s = fuzz_cstring(data, size);
	ok = schedule_parse(s, &d);
	if (ok) {
		schedule_format(&d, buf, sizeof(buf));
		FUZZ_ASSERT(strcmp(buf, s) == 0);
		FUZZ_ASSERT(d.m >= 1 && d.m <= 12 && d.d >= 1 &&
		    d.d <= schedule_month_days(d.y, d.m));
		FUZZ_ASSERT(progress_day(s, &day));
		next_day(&d, &n);
		if (n.y <= 9999) {
			schedule_format(&n, buf, sizeof(buf));
			FUZZ_ASSERT(progress_day(buf, &later));
			FUZZ_ASSERT(later == day + 1);
		}
	} else if (size == 10) {
		FUZZ_ASSERT(!progress_day(s, &day));
	}
	/* A timestamp's head is read as its date, and only then. */
	if (size > 10 && (s[10] == 'T' || s[10] == ' ') &&
	    memchr(s, '\0', 10) == NULL) {
		memcpy(buf, s, 10);
		buf[10] = '\0';
		FUZZ_ASSERT(progress_day(s, &day) == schedule_parse(buf, &d));
	}
	free(s);
	return (0);
}
