// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Samples of the benches: sorted in place, percentiles of the sorted.
 */
#include <lib.h>

/**
 * sort_u32() - Sort values in ascending order, in place.
 * @v:	the values
 * @n:	how many
 *
 * Shell sort with gaps n/2, n/4, ...: no recursion and no memory beyond
 * @v, fast enough for a few thousand samples.
 */
void sort_u32(u32 *v, unsigned int n)
{
	unsigned int gap, i, j;
	u32 x;

	for (gap = n / 2; gap > 0; gap /= 2) {
		for (i = gap; i < n; i++) {
			x = v[i];
			for (j = i; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	}
}

/**
 * percentile_u32() - The nearest-rank percentile of sorted values.
 * @v:		values sorted by sort_u32(), at least one
 * @n:		how many
 * @permille:	the percentile in tenths of a percent (500: the median,
 *		999: the 99.9th)
 *
 * Return: the smallest value that at least @permille / 1000 of the values
 * are not above.
 */
u32 percentile_u32(const u32 *v, unsigned int n, unsigned int permille)
{
	unsigned long long rank = ((unsigned long long)n * permille + 999) /
		1000;

	return v[rank ? rank - 1 : 0];
}
