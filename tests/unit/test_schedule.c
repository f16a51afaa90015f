#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
test_parse(void)
{
	struct sdate	d;
	char		buf[16];

	CHECK(schedule_parse("2024-02-29", &d));
	schedule_format(&d, buf, sizeof(buf));
	CHECK_STR(buf, "2024-02-29");
	CHECK(!schedule_parse("2023-02-29", &d));
	CHECK(!schedule_parse("2100-02-29", &d));
	CHECK(schedule_parse("2000-02-29", &d));
	CHECK(!schedule_parse("2024-13-01", &d));
	CHECK(!schedule_parse("2024-04-31", &d));
	CHECK(!schedule_parse("2024-4-01", &d));
	CHECK(!schedule_parse("2024-04-01x", &d));
	CHECK(!schedule_parse("", &d));
	CHECK(!schedule_parse(NULL, &d));
	CHECK(!schedule_parse("0000-01-01", &d));
}

static void
test_add_months(void)
{
	struct sdate	d, out;
	char		buf[16];

	CHECK(schedule_parse("2024-01-31", &d));
	schedule_add_months(&d, 1, &out);
	schedule_format(&out, buf, sizeof(buf));
	CHECK_STR(buf, "2024-02-29");
	schedule_add_months(&d, 13, &out);
	schedule_format(&out, buf, sizeof(buf));
	CHECK_STR(buf, "2025-02-28");
	schedule_add_months(&d, 12, &out);
	schedule_format(&out, buf, sizeof(buf));
	CHECK_STR(buf, "2025-01-31");
}

static void
test_list(void)
{
	struct evaluation_due	e[8];
	struct sdate		adopted, today;
	char			a[16], b[16], c[16];
	int			n;

	CHECK(schedule_parse("2022-03-15", &adopted));
	CHECK(schedule_parse("2025-06-01", &today));
	n = schedule_list(&adopted, 12, 24, &today, e, 8);
	/* 2023-03-15 and 2025-03-15 are past, 2027-03-15 is next. */
	CHECK(n == 3);
	schedule_format(&e[0].due, a, sizeof(a));
	schedule_format(&e[0].from, b, sizeof(b));
	schedule_format(&e[0].to, c, sizeof(c));
	CHECK_STR(a, "2023-03-15");
	CHECK_STR(b, "2022-03-01");
	CHECK_STR(c, "2023-02-28");
	CHECK(e[0].past && e[1].past && !e[2].past);
	schedule_format(&e[1].from, b, sizeof(b));
	schedule_format(&e[1].to, c, sizeof(c));
	CHECK_STR(b, "2023-03-01");
	CHECK_STR(c, "2025-02-28");
	schedule_format(&e[2].due, a, sizeof(a));
	CHECK_STR(a, "2027-03-15");
	/* Due today counts as due. */
	CHECK(schedule_parse("2023-03-15", &today));
	n = schedule_list(&adopted, 12, 24, &today, e, 8);
	CHECK(n == 2 && e[0].past && !e[1].past);
	/* Before the first: only the next. */
	CHECK(schedule_parse("2022-04-01", &today));
	CHECK(schedule_list(&adopted, 12, 24, &today, e, 8) == 1);
	/* Bounded by max. */
	CHECK(schedule_parse("2099-01-01", &today));
	CHECK(schedule_list(&adopted, 1, 1, &today, e, 8) == 8);
	CHECK(schedule_list(&adopted, 0, 1, &today, e, 8) == 0);
}

UNIT_SUITE(schedule_tests) = {
	{ "schedule: strict dates", test_parse },
	{ "schedule: months later, clamped", test_add_months },
	{ "schedule: evaluations due and next", test_list },
	{ NULL, NULL }
};
