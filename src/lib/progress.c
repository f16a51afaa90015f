/*
 * Success criteria over time (strategy section 6): on track, behind,
 * reached, or no data yet.  Pure, so the API, the pages and the
 * evaluation report judge alike and the rule is unit-tested.
 *
 * The plan is a straight line from (baseline_day, baseline) to
 * (target_day, target); before the baseline date the path is the
 * baseline, after the target date the target.  The latest measurement
 * (by date; points without a finite value are ignored) is on track when
 * it is at or beyond the path at its date in the direction of the
 * target, reached when it is at or beyond the target itself.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

/* Rounding in numeric → double must not flip a verdict at the line. */
#define EPSILON	1e-9

const char *
progress_name(enum progress_verdict v)
{
	switch (v) {
	case PROGRESS_ON_TRACK:
		return ("on_track");
	case PROGRESS_BEHIND:
		return ("behind");
	case PROGRESS_REACHED:
		return ("reached");
	default:
		return ("no_data");
	}
}

/* The path's value on a day. */
static double
path_at(const struct progress_plan *p, long day)
{
	double	t;

	if (day <= p->baseline_day)
		return (p->baseline);
	if (day >= p->target_day)
		return (p->target);
	t = (double)(day - p->baseline_day) /
	    (double)(p->target_day - p->baseline_day);
	return (p->baseline + (p->target - p->baseline) * t);
}

/*
 * Judges the points (any order).  MW_ERROR for a plan that has no
 * direction or no duration (the database refuses those too).
 */
int
progress_judge(const struct progress_plan *p, const struct progress_point *pt,
    int n, struct progress_result *out)
{
	double	dir, scale;
	int	i, latest;

	memset(out, 0, sizeof(*out));
	out->verdict = PROGRESS_NO_DATA;
	if (!isfinite(p->baseline) || !isfinite(p->target) ||
	    p->target == p->baseline || p->target_day <= p->baseline_day)
		return (MW_ERROR);
	latest = -1;
	for (i = 0; i < n; i++) {
		if (!isfinite(pt[i].value))
			continue;
		if (latest < 0 || pt[i].day >= pt[latest].day)
			latest = i;
	}
	if (latest < 0)
		return (MW_OK);
	dir = p->target > p->baseline ? 1.0 : -1.0;
	scale = fabs(p->target - p->baseline) * EPSILON;
	out->latest = pt[latest].value;
	out->latest_day = pt[latest].day;
	out->expected = path_at(p, out->latest_day);
	out->share = (out->latest - p->baseline) / (p->target - p->baseline);
	if (dir * (out->latest - p->target) >= -scale)
		out->verdict = PROGRESS_REACHED;
	else if (dir * (out->latest - out->expected) >= -scale)
		out->verdict = PROGRESS_ON_TRACK;
	else
		out->verdict = PROGRESS_BEHIND;
	return (MW_OK);
}

/*
 * Days since 1970-01-01 of a date "YYYY-MM-DD" (a day the calendar has, as
 * schedule_parse() reads it), also at the head of a timestamp.
 */
int
progress_day(const char *s, long *out)
{
	char		day[11];
	struct sdate	d;
	long		y, era, yoe, doy, doe;

	if (s == NULL || strlen(s) < 10 || (s[10] != '\0' && s[10] != 'T' &&
	    s[10] != ' '))
		return (MW_ERROR);
	memcpy(day, s, 10);
	day[10] = '\0';
	if (!schedule_parse(day, &d))
		return (MW_ERROR);
	/* Howard Hinnant's days_from_civil. */
	y = d.y - (d.m <= 2);
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = era * 146097 + doe - 719468;
	return (MW_OK);
}

static double
num_or_nan(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return (cJSON_IsNumber(v) ? v->valuedouble : NAN);
}

/*
 * Adds "progress" to a criterion's JSON (baseline, baseline_on, target,
 * target_on and its "series" of measured_on and value) as of its latest
 * measurement: the one reading of the document the projects API and the
 * evaluation report share.  A criterion without both dates is left as is.
 */
void
progress_json(cJSON *c)
{
	struct progress_plan	plan;
	struct progress_point	*pts;
	struct progress_result	r;
	const cJSON		*series, *e;
	cJSON			*p;
	int			n = 0;

	series = cJSON_GetObjectItemCaseSensitive(c, "series");
	plan.baseline = num_or_nan(c, "baseline");
	plan.target = num_or_nan(c, "target");
	if (!progress_day(json_str(c, "baseline_on"), &plan.baseline_day) ||
	    !progress_day(json_str(c, "target_on"), &plan.target_day))
		return;
	if ((pts = calloc((size_t)cJSON_GetArraySize(series) + 1,
	    sizeof(*pts))) == NULL)
		abort();
	cJSON_ArrayForEach(e, series) {
		if (!progress_day(json_str(e, "measured_on"), &pts[n].day))
			continue;
		/* A suppressed value is null: no data, not zero. */
		pts[n++].value = num_or_nan(e, "value");
	}
	(void)progress_judge(&plan, pts, n, &r);
	free(pts);
	p = cJSON_AddObjectToObject(c, "progress");
	cJSON_AddStringToObject(p, "verdict", progress_name(r.verdict));
	if (r.verdict == PROGRESS_NO_DATA)
		return;
	cJSON_AddNumberToObject(p, "latest", r.latest);
	cJSON_AddNumberToObject(p, "expected", round(r.expected * 1e4) / 1e4);
	cJSON_AddNumberToObject(p, "share", round(r.share * 1e4) / 1e4);
}
