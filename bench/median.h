/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The benchmarks' one statistic: the median of a side's runs. */
#ifndef LIBIOMMUFD_BENCH_MEDIAN_H
#define LIBIOMMUFD_BENCH_MEDIAN_H

/* Runs per side a benchmark keeps (--reps). */
#define MAX_REPS 15

/* The median of @v[0..@n), 1 <= @n <= MAX_REPS; @v is left as it was. */
double median(const double *v, int n);

#endif
