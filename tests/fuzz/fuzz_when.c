/*
 * when_parse reads the timestamps pages show (JSON from PostgreSQL, but
 * also dates a planner typed).  Whatever the input: an accepted one is a
 * real day and time on Berlin's clock, and its words fit the buffer.
 */

#include "mitwirken.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct when	w;
	char		*s, out[64];

	s = fuzz_cstring(data, size);
	if (when_parse(s, &w)) {
		FUZZ_ASSERT(w.m >= 1 && w.m <= 12);
		FUZZ_ASSERT(w.d >= 1 && w.d <= schedule_month_days(w.y, w.m));
		FUZZ_ASSERT(w.hh >= 0 && w.hh <= 23 && w.mi >= 0 &&
		    w.mi <= 59);
		when_format(out, sizeof(out), &w, LANG_DE,
		    WHEN_TIME | WHEN_RELATIVE, w.day);
		FUZZ_ASSERT(strlen(out) > 0 && strlen(out) < sizeof(out));
		when_format(out, sizeof(out), &w, LANG_EN, WHEN_TIME, 0);
		FUZZ_ASSERT(strlen(out) > 0);
	}
	free(s);
	return (0);
}
