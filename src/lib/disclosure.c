/*
 * Statistical disclosure control for every published count (issue 15,
 * README "Disclosure control").  Pure: the dashboard fills the month
 * tables from the aggregates and asks which cells may be shown; HTML,
 * JSON, CSV and SVG then render the one result.
 *
 *   primary     a cell with 0 < n < k is suppressed; zeros are shown
 *               (nobody is hidden in an empty cell).
 *   secondary   the hypercube heuristic, per month: in the table field
 *               (+ all) x district (+ all) and in the 1-D channel table
 *               (whose margin is the same month's grand total), as long
 *               as a line (a row or a column with its margin) holds
 *               exactly one suppressed cell, its value would follow from
 *               the margin minus the others, so a partner in that line is
 *               suppressed too: the smallest shown non-zero cell, else a
 *               zero cell, else the margin.
 *   periods     a total over months is the sum of the month cells and is
 *               suppressed if any of them is: every published number is a
 *               sum of published month cells, so differences between
 *               periods or between overlapping filters (a field against
 *               all fields, a district filter) reveal nothing the month
 *               tables do not.  A suppressed total is still published as
 *               a lower bound, "at least" the sum of its shown month
 *               cells: that is a sum of published cells too (anyone can
 *               add them up from the month tables), so it reveals
 *               nothing more, and it never includes a withheld cell.
 *   medians     over fewer than k observations: suppressed.
 */

#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

int
disclosure_small(long long n, int k)
{
	return (n > 0 && n < k);
}

/*
 * One pass over a line (cells idx[0..n-1], margin idx[n]): if exactly one
 * of them is suppressed, suppress a partner.  Returns 1 if it did.
 */
static int
line_protect(const long long *v, unsigned char *sup, const int *idx, int n)
{
	int	i, hidden, best;

	for (i = 0, hidden = 0; i <= n; i++)
		if (sup[idx[i]])
			hidden++;
	if (hidden != 1)
		return (0);
	best = -1;
	for (i = 0; i < n; i++) {
		if (sup[idx[i]] || v[idx[i]] == 0)
			continue;
		if (best == -1 || v[idx[i]] < v[idx[best]])
			best = i;
	}
	for (i = 0; best == -1 && i < n; i++)
		if (!sup[idx[i]])
			best = i;
	if (best == -1)
		best = n;
	sup[idx[best]] = DC_SECONDARY;
	return (1);
}

static void
primary(const long long *v, unsigned char *sup, int n, int k)
{
	int	i;

	for (i = 0; i < n; i++)
		if (disclosure_small(v[i], k) && !sup[i])
			sup[i] = DC_PRIMARY;
}

/* The margins of a (rows+1) x (cols+1) table from its inner cells. */
static void
margins(long long *v, int rows, int cols)
{
	int	i, j, w;

	w = cols + 1;
	for (i = 0; i <= rows; i++)
		v[i * w + cols] = 0;
	for (j = 0; j <= cols; j++)
		v[rows * w + j] = 0;
	for (i = 0; i < rows; i++) {
		for (j = 0; j < cols; j++) {
			v[i * w + cols] += v[i * w + j];
			v[rows * w + j] += v[i * w + j];
			v[rows * w + cols] += v[i * w + j];
		}
	}
}

/* One round over every row and column; returns how many partners. */
static int
table_round(const long long *v, unsigned char *sup, int rows, int cols,
    int *idx)
{
	int	i, j, w, changed;

	w = cols + 1;
	changed = 0;
	for (i = 0; i <= rows; i++) {
		for (j = 0; j <= cols; j++)
			idx[j] = i * w + j;
		changed += line_protect(v, sup, idx, cols);
	}
	for (j = 0; j <= cols; j++) {
		for (i = 0; i <= rows; i++)
			idx[i] = i * w + j;
		changed += line_protect(v, sup, idx, rows);
	}
	return (changed);
}

/*
 * A month's cross table: v and sup hold (rows+1) x (cols+1) cells, row
 * `rows` and column `cols` the margins (computed here, so they always add
 * up).  sup may come in with cells already suppressed (the grand total,
 * when the channel table needed it); it is only ever added to.
 */
void
disclosure_table(long long *v, unsigned char *sup, int rows, int cols, int k)
{
	int	*idx;

	margins(v, rows, cols);
	primary(v, sup, (rows + 1) * (cols + 1), k);
	idx = calloc((size_t)(rows > cols ? rows : cols) + 1, sizeof(*idx));
	if (idx == NULL)
		abort();
	while (table_round(v, sup, rows, cols, idx) > 0)
		;
	free(idx);
}

/* A 1-D table: n cells and their margin at v[n] (computed here). */
void
disclosure_list(long long *v, unsigned char *sup, int n, int k)
{
	int	*idx, i;

	v[n] = 0;
	for (i = 0; i < n; i++)
		v[n] += v[i];
	primary(v, sup, n + 1, k);
	idx = calloc((size_t)n + 1, sizeof(*idx));
	if (idx == NULL)
		abort();
	for (i = 0; i <= n; i++)
		idx[i] = i;
	while (line_protect(v, sup, idx, n) > 0)
		;
	free(idx);
}

/*
 * A month of one metric: the field x district table and the channel list
 * share the grand total, so a suppression of it in either holds in both;
 * run both until they agree.  The two grand totals are equal by
 * construction (both sum the same rows of stats_counts).
 */
void
disclosure_month(struct dc_month *m)
{
	unsigned char	*grand, *chan;
	int		again;

	grand = &m->sup[m->rows * (m->cols + 1) + m->cols];
	chan = &m->chan_sup[m->nchan];
	do {
		disclosure_table(m->v, m->sup, m->rows, m->cols, m->k);
		if (m->nchan > 0) {
			if (*grand && !*chan)
				*chan = *grand;
			disclosure_list(m->chan, m->chan_sup, m->nchan, m->k);
		}
		again = m->nchan > 0 && *chan && !*grand;
		if (again)
			*grand = *chan;
	} while (again);
}

/*
 * A period total of n month cells (stride apart): returns DC_SHOWN if
 * every cell is shown, else DC_SECONDARY.  *out is the sum of the shown
 * cells: the total, or, when suppressed, its lower bound ("at least").
 */
int
disclosure_sum(const long long *v, const unsigned char *sup, int n,
    size_t stride, long long *out)
{
	int	i, state;

	*out = 0;
	state = DC_SHOWN;
	for (i = 0; i < n; i++) {
		if (sup[(size_t)i * stride])
			state = DC_SECONDARY;
		else
			*out += v[(size_t)i * stride];
	}
	return (state);
}

/* The value at 1-based rank r of a day histogram. */
static int
hist_rank(const long long *hist, int nbins, long long r)
{
	long long	seen;
	int		d;

	for (d = 0, seen = 0; d < nbins; d++) {
		seen += hist[d];
		if (seen >= r)
			return (d);
	}
	return (nbins - 1);
}

/*
 * The median of a histogram of days (bin d = d days): the middle value,
 * or the mean of the two middle ones; DC_EMPTY when there is nothing,
 * DC_PRIMARY when fewer than k observations.
 */
int
disclosure_median(const long long *hist, int nbins, int k, double *out)
{
	long long	n;
	int		d;

	*out = 0;
	for (d = 0, n = 0; d < nbins; d++)
		n += hist[d] > 0 ? hist[d] : 0;
	if (n == 0)
		return (DC_EMPTY);
	if (n < k)
		return (DC_PRIMARY);
	*out = (hist_rank(hist, nbins, (n + 1) / 2) +
	    hist_rank(hist, nbins, n / 2 + 1)) / 2.0;
	return (DC_SHOWN);
}
