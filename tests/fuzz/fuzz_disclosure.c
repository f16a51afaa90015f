/*
 * Disclosure control (src/lib/disclosure.c) over arbitrary month tables:
 * the input bytes are k, the table's shape and its inner cells.  What
 * must hold for every table, whatever its counts:
 *   - no small count (0 < n < k) is shown, margins included;
 *   - no row or column (with its margin) holds exactly one suppressed
 *     cell, which its margin minus the shown cells would reveal;
 *   - a zero is never hidden for being small, and the margins add up;
 *   - a period sum is shown only when every month it sums is shown.
 */

#include "mitwirken.h"
#include "fuzz.h"

#define MAXDIM	8

static void
check_lines(const unsigned char *sup, int rows, int cols)
{
	int	i, j, w, hidden;

	w = cols + 1;
	for (i = 0; i <= rows; i++) {
		for (j = 0, hidden = 0; j <= cols; j++)
			hidden += sup[i * w + j] != 0;
		FUZZ_ASSERT(hidden != 1);
	}
	for (j = 0; j <= cols; j++) {
		for (i = 0, hidden = 0; i <= rows; i++)
			hidden += sup[i * w + j] != 0;
		FUZZ_ASSERT(hidden != 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long long	v[(MAXDIM + 1) * (MAXDIM + 1)], sum, inner;
	unsigned char	sup[(MAXDIM + 1) * (MAXDIM + 1)];
	int		k, rows, cols, i, j, w, any;

	if (size < 3)
		return (0);
	k = 3 + data[0] % 8;
	rows = 1 + data[1] % MAXDIM;
	cols = 1 + data[2] % MAXDIM;
	data += 3;
	size -= 3;
	w = cols + 1;
	memset(v, 0, sizeof(v));
	memset(sup, 0, sizeof(sup));
	/* Small counts dominate real month tables: most bytes stay small. */
	for (i = 0; i < rows; i++)
		for (j = 0; j < cols; j++)
			v[i * w + j] = (size_t)(i * cols + j) < size ?
			    data[i * cols + j] % 16 : 0;
	disclosure_table(v, sup, rows, cols, k);
	for (i = 0; i <= rows; i++) {
		for (j = 0, inner = 0; j <= cols; j++) {
			if (disclosure_small(v[i * w + j], k))
				FUZZ_ASSERT(sup[i * w + j]);
			if (j < cols)
				inner += v[i * w + j];
		}
		FUZZ_ASSERT(inner == v[i * w + cols]);
	}
	check_lines(sup, rows, cols);

	/* The first row read as months of one line: its period sum. */
	for (j = 0, any = 0; j < cols; j++)
		any |= sup[j];
	if (disclosure_sum(v, sup, cols, 1, &sum) == DC_SHOWN)
		FUZZ_ASSERT(!any && sum == v[cols]);
	else
		FUZZ_ASSERT(any);
	return (0);
}
