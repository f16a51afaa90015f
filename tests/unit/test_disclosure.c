#include <stdlib.h>

#include "mitwirken.h"
#include "unit.h"

/*
 * Tables are written row by row with their margins left as 0 (computed
 * by disclosure_table).  at(i, j) of a table with `cols` inner columns.
 */
#define AT(i, j, cols)	((i) * ((cols) + 1) + (j))

/* No row or column (margins included) has exactly one hidden cell. */
static int
lines_safe(const unsigned char *sup, int rows, int cols)
{
	int	i, j, n;

	for (i = 0; i <= rows; i++) {
		for (j = 0, n = 0; j <= cols; j++)
			n += sup[AT(i, j, cols)] != 0;
		if (n == 1)
			return (0);
	}
	for (j = 0; j <= cols; j++) {
		for (i = 0, n = 0; i <= rows; i++)
			n += sup[AT(i, j, cols)] != 0;
		if (n == 1)
			return (0);
	}
	return (1);
}

/* One small cell in a 2 x 2 table: it and three partners go, margins stay. */
static void
single_small_cell(void)
{
	long long	v[9] = { 3, 10, 0, 20, 30, 0, 0, 0, 0 };
	unsigned char	sup[9] = { 0 };

	disclosure_table(v, sup, 2, 2, 5);
	CHECK(v[AT(0, 2, 2)] == 13 && v[AT(2, 0, 2)] == 23 &&
	    v[AT(2, 2, 2)] == 63);
	CHECK(sup[AT(0, 0, 2)] == DC_PRIMARY);
	CHECK(sup[AT(0, 1, 2)] == DC_SECONDARY);
	CHECK(sup[AT(1, 0, 2)] == DC_SECONDARY);
	CHECK(sup[AT(1, 1, 2)] == DC_SECONDARY);
	CHECK(!sup[AT(0, 2, 2)] && !sup[AT(1, 2, 2)] && !sup[AT(2, 0, 2)] &&
	    !sup[AT(2, 1, 2)] && !sup[AT(2, 2, 2)]);
	CHECK(lines_safe(sup, 2, 2));
}

/*
 * Field X: 2 ideas in district A, 50 in B.  Without secondary
 * suppression "field X, all districts" (52) minus "field X, district B"
 * (50) gives the hidden 2; so the smallest other cell of that row (and of
 * the column) goes too, and the totals stay.
 */
static void
recoverable_from_total(void)
{
	long long	v[9] = { 2, 50, 0, 30, 40, 0, 0, 0, 0 };
	unsigned char	sup[9] = { 0 };

	disclosure_table(v, sup, 2, 2, 5);
	CHECK(sup[AT(0, 0, 2)] == DC_PRIMARY);
	CHECK(sup[AT(0, 1, 2)] == DC_SECONDARY);	/* row X: 50 */
	CHECK(sup[AT(1, 0, 2)] == DC_SECONDARY);	/* column A: 30 */
	CHECK(sup[AT(1, 1, 2)] == DC_SECONDARY);
	CHECK(!sup[AT(0, 2, 2)] && v[AT(0, 2, 2)] == 52);
	CHECK(lines_safe(sup, 2, 2));
}

/*
 * Overlapping filters: "all fields" (the margin row) against "field Y"
 * and "district A" against "all districts".  In a 3 x 3 table with one
 * small cell, every published difference between filters is a sum of
 * published cells: checked by the line rule and by hand for the views.
 */
static void
overlapping_filters(void)
{
	long long	v[16] = {
		4, 12, 9, 0,
		25, 30, 8, 0,
		40, 7, 16, 0,
		0, 0, 0, 0
	};
	unsigned char	sup[16] = { 0 };
	int		hidden, i;

	disclosure_table(v, sup, 3, 3, 5);
	CHECK(sup[AT(0, 0, 3)] == DC_PRIMARY);
	/* Row 0's smallest other is 9, column 0's is 25. */
	CHECK(sup[AT(0, 2, 3)] == DC_SECONDARY);
	CHECK(sup[AT(1, 0, 3)] == DC_SECONDARY);
	CHECK(lines_safe(sup, 3, 3));
	for (i = 0, hidden = 0; i < 16; i++)
		hidden += sup[i] != 0;
	CHECK(hidden == 4);			/* the rectangle 4, 9, 25, 8 */
	CHECK(sup[AT(1, 2, 3)] == DC_SECONDARY);
	/* The all-field, all-district views stay published. */
	CHECK(!sup[AT(3, 3, 3)] && v[AT(3, 3, 3)] == 151);
	CHECK(!sup[AT(0, 3, 3)] && !sup[AT(3, 0, 3)]);
}

/*
 * Zeros are shown.  A zero becomes a partner only where nothing else can
 * serve, before the margin: a list whose one non-zero cell is hidden
 * already (as a partner elsewhere).
 */
static void
zeros(void)
{
	long long	v[9] = { 3, 10, 0, 0, 20, 0, 0, 0, 0 };
	unsigned char	sup[9] = { 0 };
	long long	z[9] = { 0 }, l[4] = { 10, 0, 0, 0 };
	unsigned char	zs[9] = { 0 }, ls[4] = { DC_SECONDARY, 0, 0, 0 };
	int		i;

	disclosure_table(z, zs, 2, 2, 5);
	for (i = 0; i < 9; i++)
		CHECK(zs[i] == 0);
	disclosure_table(v, sup, 2, 2, 5);
	CHECK(sup[AT(0, 0, 2)] == DC_PRIMARY);
	CHECK(!sup[AT(1, 0, 2)]);			/* a zero stays */
	CHECK(lines_safe(sup, 2, 2));
	disclosure_list(l, ls, 3, 5);
	CHECK(ls[1] == DC_SECONDARY && !ls[2] && !ls[3]);
}

static void
k_bounds(void)
{
	long long	v[3] = { 3, 2, 0 };
	unsigned char	sup[3] = { 0 };

	CHECK(!disclosure_small(0, 5) && disclosure_small(1, 5) &&
	    disclosure_small(4, 5) && !disclosure_small(5, 5));
	CHECK(!disclosure_small(1, 1));		/* internal k = 1: all */
	disclosure_list(v, sup, 2, 3);
	CHECK(sup[1] == DC_PRIMARY);
	CHECK(sup[0] == DC_SECONDARY);
	CHECK(!sup[2] && v[2] == 5);
	memset(sup, 0, sizeof(sup));
	disclosure_list(v, sup, 2, 1);
	CHECK(!sup[0] && !sup[1] && !sup[2]);
}

/*
 * Two periods: January's cell (3) is hidden, February's (10) is shown.
 * The January-February total would give January away; it is suppressed
 * (its lower bound is February's 10, which is public anyway), February
 * alone is not.
 */
static void
two_periods(void)
{
	long long	months[2] = { 3, 10 }, total;
	unsigned char	sup[2] = { DC_PRIMARY, DC_SHOWN };

	CHECK(disclosure_sum(months, sup, 2, 1, &total) != DC_SHOWN);
	CHECK(total == 10);
	CHECK(disclosure_sum(months + 1, sup + 1, 1, 1, &total) == DC_SHOWN);
	CHECK(total == 10);
}

/*
 * The "at least" of a suppressed period total is exactly the sum of its
 * shown month cells (every one of them published), never a withheld
 * cell's value: here the withheld cells hold large values, so any that
 * leaked in would show.  Strided as in the dashboard's cube.
 */
static void
at_least(void)
{
	long long	v[12 * 3], shown, total;
	unsigned char	sup[12 * 3];
	int		t, i, ok, hidden;

	srand(16);
	for (t = 0, ok = 1; t < 500; t++) {
		memset(sup, 0, sizeof(sup));
		shown = 0;
		hidden = 0;
		for (i = 0; i < 12; i++) {
			v[i * 3] = rand() % 40;
			v[i * 3 + 1] = v[i * 3 + 2] = 1000000;
			if (rand() % 3 == 0) {
				sup[i * 3] = rand() % 2 ? DC_PRIMARY :
				    DC_SECONDARY;
				v[i * 3] += 1000000;
				hidden = 1;
			} else
				shown += v[i * 3];
		}
		sup[1] = DC_PRIMARY;	/* not in the line: ignored */
		if (disclosure_sum(v, sup, 12, 3, &total) !=
		    (hidden ? DC_SECONDARY : DC_SHOWN))
			ok = 0;
		if (total != shown)
			ok = 0;
	}
	CHECK(ok);
	memset(sup, 0, sizeof(sup));
	v[0] = 4;
	sup[0] = DC_PRIMARY;
	for (i = 1; i < 12; i++)
		v[i * 3] = 0;
	CHECK(disclosure_sum(v, sup, 12, 3, &total) == DC_SECONDARY);
	CHECK(total == 0);
}

/* The grand total is shared by the cross table and the channel list. */
static void
month_coupling(void)
{
	long long	v[4] = { 3, 0, 0, 0 }, ch[3] = { 3, 0, 0 };
	unsigned char	s[4] = { 0 }, cs[3] = { 0 };
	struct dc_month	m = { v, s, 1, 1, ch, cs, 2, 5 };
	long long	v2[4] = { 40, 0, 0, 0 }, ch2[3] = { 38, 2, 0 };
	unsigned char	s2[4] = { 0 }, cs2[3] = { 0 };
	struct dc_month	m2 = { v2, s2, 1, 1, ch2, cs2, 2, 5 };

	disclosure_month(&m);
	CHECK(s[3] && cs[2]);
	CHECK(cs[0] && !cs[1]);	/* two hidden already: the zero stays */
	disclosure_month(&m2);
	CHECK(cs2[1] == DC_PRIMARY && cs2[0] == DC_SECONDARY);
	CHECK(!cs2[2] && !s2[3]);	/* the total stays */
}

static void
medians(void)
{
	long long	h[367] = { 0 };
	double		m;

	CHECK(disclosure_median(h, 367, 5, &m) == DC_EMPTY);
	h[1] = 1;
	h[2] = 1;
	h[3] = 1;
	h[10] = 1;
	CHECK(disclosure_median(h, 367, 5, &m) == DC_PRIMARY);
	h[10] = 2;
	CHECK(disclosure_median(h, 367, 5, &m) == DC_SHOWN && m == 3);
	h[366] = 1;
	CHECK(disclosure_median(h, 367, 5, &m) == DC_SHOWN && m == 6.5);
}

/* Random tables: every small cell hidden, no zero primary, lines safe. */
static void
random_tables(void)
{
	long long	v[6 * 8];
	unsigned char	sup[6 * 8];
	int		t, i, j, ok;

	srand(15);
	for (t = 0, ok = 1; t < 500; t++) {
		memset(sup, 0, sizeof(sup));
		for (i = 0; i < 5; i++)
			for (j = 0; j < 7; j++)
				v[AT(i, j, 7)] = rand() % 4 == 0 ? 0 :
				    rand() % 12;
		disclosure_table(v, sup, 5, 7, 5);
		for (i = 0; i < 6 * 8; i++) {
			if (disclosure_small(v[i], 5) && !sup[i])
				ok = 0;
			if (v[i] == 0 && sup[i] == DC_PRIMARY)
				ok = 0;
		}
		if (!lines_safe(sup, 5, 7))
			ok = 0;
	}
	CHECK(ok);
}

UNIT_SUITE(disclosure_tests) = {
	{ "disclosure: a single small cell", single_small_cell },
	{ "disclosure: a cell recoverable from a total",
	    recoverable_from_total },
	{ "disclosure: overlapping filters", overlapping_filters },
	{ "disclosure: zeros", zeros },
	{ "disclosure: k bounds", k_bounds },
	{ "disclosure: a cell recoverable from two periods", two_periods },
	{ "disclosure: at least: the sum of the shown cells only", at_least },
	{ "disclosure: cross table and channels share the total",
	    month_coupling },
	{ "disclosure: medians", medians },
	{ "disclosure: random tables", random_tables },
	{ NULL, NULL }
};
