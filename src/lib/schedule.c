/*
 * The strategy's evaluation schedule (section 6): evaluated a year after
 * the council adopted it, then every two years; both spans are settings
 * (evaluation_first_months, evaluation_every_months).  Statistics are
 * kept per calendar month, so a report covers whole months: the one of
 * an evaluation due on a date runs from the month of the evaluation
 * before it (or of the adoption) to the month before the due date.
 * Also the strict calendar dates the settings and the report accept.
 */

#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

static int
leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

int
schedule_month_days(int y, int m)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };

	return (m == 2 && leap(y) ? 29 : days[m - 1]);
}

/* YYYY-MM-DD, a day the calendar has, years 1900 to 9999. */
int
schedule_parse(const char *s, struct sdate *out)
{
	int	i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (MW_ERROR);
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return (MW_ERROR);
	}
	out->y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	out->m = (s[5] - '0') * 10 + (s[6] - '0');
	out->d = (s[8] - '0') * 10 + (s[9] - '0');
	if (out->y < 1900 || out->m < 1 || out->m > 12 || out->d < 1 ||
	    out->d > schedule_month_days(out->y, out->m))
		return (MW_ERROR);
	return (MW_OK);
}

void
schedule_format(const struct sdate *d, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%04d-%02d-%02d", d->y, d->m, d->d);
}

/* Months as a count: January of year 0 is 0. */
int
schedule_month_index(const struct sdate *d)
{
	return (d->y * 12 + d->m - 1);
}

/* The first day of month index i. */
void
schedule_month_start(int i, struct sdate *out)
{
	out->y = i / 12;
	out->m = i % 12 + 1;
	out->d = 1;
}

/* The last day of month index i. */
void
schedule_month_end(int i, struct sdate *out)
{
	schedule_month_start(i, out);
	out->d = schedule_month_days(out->y, out->m);
}

/* So many months later, on the same day or the month's last one. */
void
schedule_add_months(const struct sdate *in, int months, struct sdate *out)
{
	int	last, i = schedule_month_index(in) + months;

	schedule_month_start(i, out);
	last = schedule_month_days(out->y, out->m);
	out->d = in->d > last ? last : in->d;
}

static int
before(const struct sdate *a, const struct sdate *b)
{
	if (a->y != b->y)
		return (a->y < b->y);
	if (a->m != b->m)
		return (a->m < b->m);
	return (a->d < b->d);
}

/*
 * The evaluations due up to today and the next one after it, oldest
 * first; at most max.  Returns how many.  Each covers whole months from
 * the previous one's month to the month before its due date.
 */
int
schedule_list(const struct sdate *adopted, int first, int every,
    const struct sdate *today, struct evaluation_due *out, int max)
{
	struct sdate	prev = *adopted;
	int		n;

	if (first < 1 || every < 1)
		return (0);
	for (n = 0; n < max; n++) {
		schedule_add_months(adopted, first + n * every, &out[n].due);
		schedule_month_start(schedule_month_index(&prev),
		    &out[n].from);
		schedule_month_end(schedule_month_index(&out[n].due) - 1,
		    &out[n].to);
		out[n].past = !before(today, &out[n].due);
		prev = out[n].due;
		if (!out[n].past)
			return (n + 1);
	}
	return (n);
}
