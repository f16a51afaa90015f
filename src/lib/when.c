/*
 * Dates and times as the reader writes them: "2. Dezember 2026, 22:07" in
 * German, "2 December 2026, 22:07" in English, always on Braunschweig's
 * clock (Europe/Berlin), whatever offset PostgreSQL printed.  The rule for
 * summer time is the EU's (since 1996): from 01:00 UTC on the last Sunday
 * of March to 01:00 UTC on the last Sunday of October; no time-zone
 * database is read, so the module stays pure and every worker agrees.
 */

#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

static const char *const months_de[] = { "Januar", "Februar", "M\xc3\xa4rz",
	"April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
	"November", "Dezember" };
static const char *const months_en[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static long long
days_from_civil(long long y, int m, int d)
{
	long long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

static void
civil_from_days(long long z, struct when *w)
{
	long long	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	w->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	w->m = (int)(mp < 10 ? mp + 3 : mp - 9);
	w->y = (int)(yoe + era * 400 + (w->m <= 2));
}

/* The last Sunday of a month, as days since the epoch. */
static long long
last_sunday(int y, int m)
{
	long long	day;
	int		dow;

	day = days_from_civil(y, m, schedule_month_days(y, m));
	dow = (int)(((day % 7) + 11) % 7);	/* 1970-01-01 was a Thursday */
	return (day - dow);
}

static int
digits(const char *s, int n, int *out)
{
	int	i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (MW_ERROR);
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return (MW_OK);
}

/* "Z", "+01", "+01:00", "-0530": the offset in seconds east of UTC. */
static int
offset_parse(const char *s, long long *off)
{
	int	h, m = 0, sign;

	*off = 0;
	if (*s == '\0' || strcmp(s, "Z") == 0)
		return (MW_OK);
	if (*s != '+' && *s != '-')
		return (MW_ERROR);
	sign = *s == '-' ? -1 : 1;
	if (!digits(s + 1, 2, &h))
		return (MW_ERROR);
	s += 3;
	if (*s == ':')
		s++;
	if (*s != '\0' && (!digits(s, 2, &m) || s[2] != '\0'))
		return (MW_ERROR);
	if (h > 15 || m > 59)
		return (MW_ERROR);
	*off = sign * (h * 3600LL + m * 60LL);
	return (MW_OK);
}

/*
 * "YYYY-MM-DD" (a calendar day: no clock, no zone), or a timestamp as
 * JSON or PostgreSQL prints one: "YYYY-MM-DD[T ]HH:MM[:SS[.frac]]" with
 * "Z" or an offset (none: UTC).  A timestamp is turned into Berlin time.
 */
int
when_parse(const char *s, struct when *w)
{
	struct sdate	day;
	char		date[11];
	long long	off, utc;
	int		sec = 0;

	memset(w, 0, sizeof(*w));
	if (s == NULL || strlen(s) < 10 || strlen(s) > 40)
		return (MW_ERROR);
	(void)snprintf(date, sizeof(date), "%.10s", s);
	if (!schedule_parse(date, &day))
		return (MW_ERROR);
	w->y = day.y;
	w->m = day.m;
	w->d = day.d;
	w->day = days_from_civil(w->y, w->m, w->d);
	if (s[10] == '\0')
		return (MW_OK);
	s += 10;
	if ((*s != 'T' && *s != ' ') || !digits(s + 1, 2, &w->hh) ||
	    s[3] != ':' || !digits(s + 4, 2, &w->mi) || w->hh > 23 ||
	    w->mi > 59)
		return (MW_ERROR);
	s += 6;
	if (*s == ':') {
		if (!digits(s + 1, 2, &sec) || sec > 60)
			return (MW_ERROR);
		s += 3;
		if (*s == '.') {
			for (s++; *s >= '0' && *s <= '9'; s++)
				;
		}
	}
	if (!offset_parse(s, &off))
		return (MW_ERROR);
	utc = days_from_civil(w->y, w->m, w->d) * 86400LL + w->hh * 3600LL +
	    w->mi * 60LL + sec - off;
	when_berlin(utc, w);
	return (MW_OK);
}

/* Seconds since the epoch as Berlin's wall clock. */
void
when_berlin(long long utc, struct when *w)
{
	long long	local, days, start, end;
	struct when	u;

	civil_from_days((utc >= 0 ? utc : utc - 86399) / 86400, &u);
	start = last_sunday(u.y, 3) * 86400LL + 3600;
	end = last_sunday(u.y, 10) * 86400LL + 3600;
	local = utc + ((utc >= start && utc < end) ? 7200 : 3600);
	days = (local >= 0 ? local : local - 86399) / 86400;
	civil_from_days(days, w);
	w->hh = (int)((local - days * 86400) / 3600);
	w->mi = (int)((local - days * 86400) % 3600 / 60);
	w->has_time = 1;
	w->day = days;
}

/*
 * The reader's words for a parsed date: the day, and the clock when the
 * value had one and WHEN_TIME asks for it; WHEN_RELATIVE says "heute" or
 * "gestern" for those days of today_day (days since the epoch, Berlin).
 */
void
when_format(char *buf, size_t len, const struct when *w, enum lang l,
    int flags, long long today_day)
{
	char	day[48];

	if (len == 0)
		return;
	if (w->m < 1 || w->m > 12) {
		buf[0] = '\0';
		return;
	}
	if ((flags & WHEN_RELATIVE) && w->has_time && w->day == today_day)
		(void)snprintf(day, sizeof(day), "%s", l == LANG_EN ? "today" :
		    "heute");
	else if ((flags & WHEN_RELATIVE) && w->has_time &&
	    w->day == today_day - 1)
		(void)snprintf(day, sizeof(day), "%s", l == LANG_EN ?
		    "yesterday" : "gestern");
	else if (l == LANG_EN)
		(void)snprintf(day, sizeof(day), "%d %s %d", w->d,
		    months_en[w->m - 1], w->y);
	else
		(void)snprintf(day, sizeof(day), "%d. %s %d", w->d,
		    months_de[w->m - 1], w->y);
	if ((flags & WHEN_TIME) && w->has_time)
		(void)snprintf(buf, len, "%s%s%02d:%02d", day,
		    strchr(day, ' ') != NULL ? ", " : " ", w->hh, w->mi);
	else
		(void)snprintf(buf, len, "%s", day);
}

/* Today's day number in Berlin, for WHEN_RELATIVE. */
long long
when_today(long long now)
{
	struct when	w;

	when_berlin(now, &w);
	return (w.day);
}
