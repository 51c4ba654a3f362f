// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The C side of the binding-overhead benchmark (bench/run-binding-overhead.sh):
 * the cost of one cheap SDK call, so the Python and Go bindings' costs for
 * the same call can be printed as ratios to it.  Measured on an empty IOAS,
 * as the bindings' benchmarks do:
 *   iova_ranges     iommufd_ioas_iova_ranges() into a caller's array
 *   alloc_destroy   iommufd_ioas_alloc() + iommufd_destroy()
 * Each is timed over --count calls, --reps times; the best run is printed
 * as "c: <name> <ns> ns/op".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libiommufd/libiommufd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int ranges_loop(struct iommufd_ctx *ctx, uint32_t ioas, long count)
{
	struct iommufd_iova_range r[4];
	uint64_t align;

	for (long i = 0; i < count; i++)
		if (iommufd_ioas_iova_ranges(ctx, ioas, r, 4, &align) < 0)
			return -1;
	return 0;
}

static int alloc_destroy_loop(struct iommufd_ctx *ctx, uint32_t ioas, long count)
{
	(void)ioas;
	for (long i = 0; i < count; i++) {
		uint32_t id;

		if (iommufd_ioas_alloc(ctx, &id) < 0 || iommufd_destroy(ctx, id) < 0)
			return -1;
	}
	return 0;
}

/* The best of @reps runs of @count calls, in ns per call. */
static double best(int (*loop)(struct iommufd_ctx *, uint32_t, long), struct iommufd_ctx *ctx,
		   uint32_t ioas, long count, int reps)
{
	double best_ns = 0;

	for (int r = 0; r < reps; r++) {
		uint64_t t0 = now_ns();

		if (loop(ctx, ioas, count) < 0)
			return -1;
		double ns = (double)(now_ns() - t0) / (double)count;

		if (r == 0 || ns < best_ns)
			best_ns = ns;
	}
	return best_ns;
}

int main(int argc, char **argv)
{
	long count = 100000;
	int reps = 5;
	struct iommufd_ctx *ctx;
	uint32_t ioas;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--count"))
			count = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--reps"))
			reps = atoi(argv[i + 1]);
	}
	if (count <= 0 || reps <= 0) {
		fprintf(stderr, "usage: %s [--count N] [--reps N]\n", argv[0]);
		return 2;
	}
	if (iommufd_ctx_open(NULL, &ctx) < 0) {
		fprintf(stderr, "c: %s\n", iommufd_ctx_last_error(NULL));
		return 1;
	}
	if (iommufd_ioas_alloc(ctx, &ioas) < 0) {
		fprintf(stderr, "c: %s\n", iommufd_ctx_last_error(ctx));
		return 1;
	}
	double ranges = best(ranges_loop, ctx, ioas, count, reps);
	double alloc = best(alloc_destroy_loop, ctx, ioas, count / 5, reps);

	if (ranges < 0 || alloc < 0) {
		fprintf(stderr, "c: %s\n", iommufd_ctx_last_error(ctx));
		return 1;
	}
	printf("c: iova_ranges %.0f ns/op\n", ranges);
	printf("c: alloc_destroy %.0f ns/op\n", alloc);
	iommufd_ctx_close(ctx);
	return 0;
}
