#include "mitwirken.h"
#include "unit.h"

static const char *
fmt(const char *iso, enum lang l, int flags, long long today)
{
	static char	buf[64];
	struct when	w;

	if (!when_parse(iso, &w))
		return ("(invalid)");
	when_format(buf, sizeof(buf), &w, l, flags, today);
	return (buf);
}

static void
formats(void)
{
	/* 21:07 UTC in December is 22:07 in Berlin (CET, +1). */
	CHECK_STR(fmt("2026-12-02T21:07:00Z", LANG_DE, WHEN_TIME, 0),
	    "2. Dezember 2026, 22:07");
	CHECK_STR(fmt("2026-12-02T21:07:00Z", LANG_EN, WHEN_TIME, 0),
	    "2 December 2026, 22:07");
	CHECK_STR(fmt("2026-12-02T21:07:00Z", LANG_DE, 0, 0),
	    "2. Dezember 2026");
	/* PostgreSQL's own offset is undone. */
	CHECK_STR(fmt("2026-12-02T22:07:59.123456+01:00", LANG_DE, WHEN_TIME,
	    0), "2. Dezember 2026, 22:07");
	CHECK_STR(fmt("2026-12-02 21:07:00+00", LANG_DE, WHEN_TIME, 0),
	    "2. Dezember 2026, 22:07");
	CHECK_STR(fmt("2026-03-01", LANG_DE, WHEN_TIME, 0), "1. M\xc3\xa4rz 2026");
	CHECK_STR(fmt("2026-03-01", LANG_EN, WHEN_TIME, 0), "1 March 2026");
	/* Crossing midnight into the next year. */
	CHECK_STR(fmt("2026-12-31T23:30:00Z", LANG_DE, WHEN_TIME, 0),
	    "1. Januar 2027, 00:30");
}

static void
summer_time(void)
{
	/* 2026: summer time from 29 March 01:00 UTC to 25 October 01:00. */
	CHECK_STR(fmt("2026-03-29T00:59:00Z", LANG_DE, WHEN_TIME, 0),
	    "29. M\xc3\xa4rz 2026, 01:59");
	CHECK_STR(fmt("2026-03-29T01:00:00Z", LANG_DE, WHEN_TIME, 0),
	    "29. M\xc3\xa4rz 2026, 03:00");
	CHECK_STR(fmt("2026-07-01T12:00:00Z", LANG_DE, WHEN_TIME, 0),
	    "1. Juli 2026, 14:00");
	CHECK_STR(fmt("2026-10-25T00:59:00Z", LANG_DE, WHEN_TIME, 0),
	    "25. Oktober 2026, 02:59");
	CHECK_STR(fmt("2026-10-25T01:00:00Z", LANG_DE, WHEN_TIME, 0),
	    "25. Oktober 2026, 02:00");
}

static void
relative(void)
{
	struct when	w;
	long long	today;

	/* 2026-12-02 12:00 UTC */
	today = when_today(1796212800LL);
	CHECK(when_parse("2026-12-02T12:00:00Z", &w) && w.day == today);
	CHECK_STR(fmt("2026-12-02T21:07:00Z", LANG_DE,
	    WHEN_TIME | WHEN_RELATIVE, today), "heute 22:07");
	CHECK_STR(fmt("2026-12-01T21:07:00Z", LANG_DE,
	    WHEN_TIME | WHEN_RELATIVE, today), "gestern 22:07");
	CHECK_STR(fmt("2026-12-01T21:07:00Z", LANG_EN,
	    WHEN_TIME | WHEN_RELATIVE, today), "yesterday 22:07");
	/* 23:30 UTC on the 2nd is already the 3rd in Berlin: not today. */
	CHECK_STR(fmt("2026-12-02T23:30:00Z", LANG_EN,
	    WHEN_TIME | WHEN_RELATIVE, today), "3 December 2026, 00:30");
	CHECK_STR(fmt("2026-11-30T10:00:00Z", LANG_DE,
	    WHEN_TIME | WHEN_RELATIVE, today), "30. November 2026, 11:00");
}

static void
refused(void)
{
	struct when	w;

	CHECK(!when_parse(NULL, &w));
	CHECK(!when_parse("", &w));
	CHECK(!when_parse("2026-13-01", &w));
	CHECK(!when_parse("2026-02-30T10:00:00Z", &w));
	CHECK(!when_parse("2026-12-02T25:00:00Z", &w));
	CHECK(!when_parse("2026-12-02T10:00:00+1", &w));
	CHECK(!when_parse("2026-12-02X10:00", &w));
	CHECK(!when_parse("gestern", &w));
	CHECK(when_parse("2026-12-02T10:00", &w) && w.hh == 11);
}

UNIT_SUITE(when_tests) = {
	{ "when: dates and times in the reader's words", formats },
	{ "when: Berlin's summer time", summer_time },
	{ "when: today and yesterday", relative },
	{ "when: what is not a date", refused },
	{ NULL, NULL }
};
