/* progress.c: on track, behind, reached, no data along the linear path. */
#include <math.h>

#include "mitwirken.h"
#include "unit.h"

/* 100 → 200 over 100 days from day 1000. */
static const struct progress_plan up = { 100, 1000, 200, 1100 };
/* Less is better: 30 days → 10 days over 100 days. */
static const struct progress_plan down = { 30, 1000, 10, 1100 };

static enum progress_verdict
judge1(const struct progress_plan *p, long day, double v)
{
	struct progress_point	pt = { day, v };
	struct progress_result	r;

	CHECK(progress_judge(p, &pt, 1, &r));
	return (r.verdict);
}

static void
rising(void)
{
	/* Halfway in time the path is at 150. */
	CHECK(judge1(&up, 1050, 150) == PROGRESS_ON_TRACK);
	CHECK(judge1(&up, 1050, 149.9) == PROGRESS_BEHIND);
	CHECK(judge1(&up, 1050, 180) == PROGRESS_ON_TRACK);
	CHECK(judge1(&up, 1050, 200) == PROGRESS_REACHED);
	CHECK(judge1(&up, 1050, 250) == PROGRESS_REACHED);
	/* Before the baseline date the path is the baseline. */
	CHECK(judge1(&up, 900, 100) == PROGRESS_ON_TRACK);
	CHECK(judge1(&up, 900, 99) == PROGRESS_BEHIND);
	/* After the target date anything short of it is behind. */
	CHECK(judge1(&up, 1200, 199) == PROGRESS_BEHIND);
	CHECK(judge1(&up, 1200, 200) == PROGRESS_REACHED);
}

static void
falling(void)
{
	/* Halfway the path is at 20 days; more days is worse. */
	CHECK(judge1(&down, 1050, 20) == PROGRESS_ON_TRACK);
	CHECK(judge1(&down, 1050, 21) == PROGRESS_BEHIND);
	CHECK(judge1(&down, 1050, 12) == PROGRESS_ON_TRACK);
	CHECK(judge1(&down, 1050, 10) == PROGRESS_REACHED);
	CHECK(judge1(&down, 1050, 5) == PROGRESS_REACHED);
	CHECK(judge1(&down, 1100, 11) == PROGRESS_BEHIND);
}

/* The latest point by date decides, whatever the order; the numbers. */
static void
latest(void)
{
	struct progress_point	pts[] = { { 1080, 190 }, { 1020, 100 },
	    { 1010, 500 }, { 1090, NAN } };
	struct progress_result	r;

	CHECK(progress_judge(&up, pts, 4, &r));
	CHECK(r.verdict == PROGRESS_ON_TRACK);
	CHECK(r.latest_day == 1080 && r.latest == 190);
	CHECK(fabs(r.expected - 180) < 1e-9);
	CHECK(fabs(r.share - 0.9) < 1e-9);
	/* Equal dates: the later in the list (the later entry) decides. */
	pts[1].day = 1080;
	CHECK(progress_judge(&up, pts, 2, &r));
	CHECK(r.verdict == PROGRESS_BEHIND && r.latest == 100);
}

static void
no_data(void)
{
	struct progress_point	nan = { 1050, NAN };
	struct progress_result	r;
	struct progress_plan	flat = { 5, 1000, 5, 1100 };
	struct progress_plan	backwards = { 5, 1100, 6, 1000 };

	CHECK(progress_judge(&up, NULL, 0, &r));
	CHECK(r.verdict == PROGRESS_NO_DATA);
	CHECK(progress_judge(&up, &nan, 1, &r));
	CHECK(r.verdict == PROGRESS_NO_DATA);
	CHECK(!progress_judge(&flat, &nan, 1, &r));
	CHECK(!progress_judge(&backwards, &nan, 1, &r));
	CHECK_STR(progress_name(PROGRESS_NO_DATA), "no_data");
	CHECK_STR(progress_name(PROGRESS_ON_TRACK), "on_track");
	CHECK_STR(progress_name(PROGRESS_BEHIND), "behind");
	CHECK_STR(progress_name(PROGRESS_REACHED), "reached");
}

static void
days(void)
{
	long	d;

	CHECK(progress_day("1970-01-01", &d) && d == 0);
	CHECK(progress_day("2000-03-01", &d) && d == 11017);
	CHECK(progress_day("2024-02-29", &d) && d == 19782);
	CHECK(progress_day("2026-01-01T00:00:00+01:00", &d) && d == 20454);
	CHECK(!progress_day("2023-02-29", &d));
	CHECK(!progress_day("2023-13-01", &d));
	CHECK(!progress_day("2023-1-01", &d));
	CHECK(!progress_day("2023-01-32", &d));
	CHECK(!progress_day("", &d));
	CHECK(!progress_day(NULL, &d));
}

/* The criterion's JSON as the projects API and the report carry it. */
static void
json_doc(void)
{
	cJSON		*c, *p;
	const char	*doc = "{\"baseline\":100,\"baseline_on\":"
	    "\"2024-01-01\",\"target\":200,\"target_on\":\"2024-12-31\","
	    "\"series\":[{\"measured_on\":\"2024-07-01\",\"value\":120},"
	    "{\"measured_on\":\"2024-09-01\",\"value\":null},"
	    "{\"measured_on\":\"2024-03-01\",\"value\":190}]}";

	c = cJSON_Parse(doc);
	progress_json(c);
	p = cJSON_GetObjectItemCaseSensitive(c, "progress");
	/* July (the latest with a value) lies below the path: behind. */
	CHECK_STR(json_str(p, "verdict"), "behind");
	CHECK(json_num(p, "latest") == 120);
	CHECK(json_num(p, "share") == 0.2);
	cJSON_Delete(c);

	c = cJSON_Parse("{\"baseline\":1,\"target\":2,\"series\":[]}");
	progress_json(c);
	CHECK(cJSON_GetObjectItemCaseSensitive(c, "progress") == NULL);
	cJSON_Delete(c);

	c = cJSON_Parse("{\"baseline\":1,\"baseline_on\":\"2024-01-01\","
	    "\"target\":2,\"target_on\":\"2025-01-01\",\"series\":[]}");
	progress_json(c);
	p = cJSON_GetObjectItemCaseSensitive(c, "progress");
	CHECK_STR(json_str(p, "verdict"), "no_data");
	CHECK(cJSON_GetObjectItemCaseSensitive(p, "latest") == NULL);
	cJSON_Delete(c);
}

UNIT_SUITE(progress_tests) = {
	{ "progress rising", rising },
	{ "progress falling", falling },
	{ "progress latest", latest },
	{ "progress no data", no_data },
	{ "progress days", days },
	{ "progress json", json_doc },
	{ NULL, NULL }
};
