// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libiommufd-ops-bench: the cost of each operation through the SDK against
 * the same operation as a hand-written ioctl, measured in one run: for each
 * operation, after a warm-up, --reps runs, each doing the operation
 * count-many times per side in interleaved blocks; ns per operation is the
 * median of a side's runs, and SDK/raw the ratio of the medians.  Runs inside the test
 * VM (it needs the iommufd selftest mock): bench/run.
 *
 *   libiommufd-ops-bench [--count N] [--reps R] [--only KEY] [--side both|sdk|raw]
 *                        [--no-warmup] [--list]
 *
 * --only with --side sdk|raw and --no-warmup is what bench/run's syscall
 * count runs under strace: setup, then the operation exactly --count times
 * (unscaled), untimed, and a "ran <key> <side> <count>" line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "median.h"
#include "ops_bench.h"


struct plan {
	long count;
	int reps;
	int sides; /* bit 0 SDK, bit 1 raw */
	int warmup;
	const char *only;
};

struct table {
	const struct ops_case *cases;
	const size_t *n;
};

static const struct table tables[] = {
	{ ops_ioas_cases, &ops_ioas_ncases },
	{ ops_hwpt_cases, &ops_hwpt_ncases },
	{ ops_fault_cases, &ops_fault_ncases },
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static long ops_of(const struct ops_case *c, long count)
{
	long n = count * (long)c->weight / 1024;

	return count && n < 1 ? 1 : n;
}

/* @n operations of one side; 0 or the first failure's errno. */
static int run_side(const struct ops_case *c, int raw, struct ops_env *e, long n)
{
	int (*op)(struct ops_env *) = raw ? c->raw : c->sdk;

	for (long i = 0; i < n; i++) {
		int rc = op(e);

		if (rc) {
			fprintf(stderr, "ops-bench: %s (%s), operation %ld: %s (%s)\n", c->key,
				raw ? "raw" : "sdk", i, strerror(-rc),
				raw ? "-" : iommufd_ctx_last_error(e->ctx));
			return rc;
		}
	}
	return 0;
}

static void print_row(const struct ops_case *c, const double ns[2][MAX_REPS], const struct plan *p)
{
	double sdk = median(ns[0], p->reps), raw = median(ns[1], p->reps);

	printf("%-16s %10.0f %10.0f %8.2f  ", c->key, sdk, raw, sdk / raw);
	for (int side = 0; side < 2; side++)
		for (int r = 0; r < p->reps; r++)
			printf("%s%.0f", r ? "/" : side ? "  raw " : "sdk ", ns[side][r]);
	printf("\n");
	fflush(stdout);
}

/* One rep: @n operations of each side in BLOCKS interleaved blocks (which
 * side goes first swaps every block), so a slow phase of the machine hits
 * both sides alike; @ns receives each side's ns per operation. */
#define BLOCKS 8
static int run_rep(const struct ops_case *c, struct ops_env *e, long n, int rep, double ns[2])
{
	long block = n / BLOCKS > 0 ? n / BLOCKS : 1, done[2] = { 0, 0 };
	double t[2] = { 0, 0 };
	int rc = 0;

	for (int b = 0; !rc && (done[0] < n || done[1] < n); b++)
		for (int k = 0; !rc && k < 2; k++) {
			int side = (rep + b + k) % 2;
			long m = n - done[side] < block ? n - done[side] : block;
			double t0 = now_ns();

			rc = run_side(c, side, e, m);
			t[side] += now_ns() - t0;
			done[side] += m;
		}
	for (int side = 0; side < 2; side++)
		ns[side] = t[side] / (double)(n ? n : 1);
	return rc;
}

/* Both sides, interleaved; or (counting mode) one side once, untimed. */
static int run_case(const struct ops_case *c, struct ops_env *e, const struct plan *p)
{
	double ns[2][MAX_REPS];
	long n = ops_of(c, p->count);
	int rc = 0;

	if (p->sides != 3) {
		n = p->count; /* exactly, unscaled: the syscall count divides by it */
		rc = run_side(c, p->sides == 2, e, n);
		if (!rc)
			printf("ran %s %s %ld\n", c->key, p->sides == 2 ? "raw" : "sdk", n);
		return rc;
	}
	/* Warm-up: caches, the SDK's one-time probes, the kernel's slabs. */
	for (int side = 0; p->warmup && !rc && side < 2; side++)
		rc = run_side(c, side, e, n / 10 > 0 ? n / 10 : 1);
	for (int r = 0; !rc && r < p->reps; r++) {
		double one[2];

		rc = run_rep(c, e, n, r, one);
		ns[0][r] = one[0];
		ns[1][r] = one[1];
	}
	if (!rc)
		print_row(c, ns, p);
	return rc;
}

static const struct ops_case *find_case(const char *key)
{
	for (size_t t = 0; t < NTABLES; t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			if (!strcmp(tables[t].cases[i].key, key))
				return &tables[t].cases[i];
	return NULL;
}

static void list_cases(void)
{
	for (size_t t = 0; t < NTABLES; t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			printf("%-16s %s\n", tables[t].cases[i].key, tables[t].cases[i].what);
}

static int usage(void)
{
	fprintf(stderr, "usage: libiommufd-ops-bench [--count N] [--reps R (1..%d)] [--only KEY] "
			"[--side both|sdk|raw] [--no-warmup] [--list]\n", MAX_REPS);
	return 2;
}

static int parse_side(const char *s)
{
	return !strcmp(s, "both") ? 3 : !strcmp(s, "sdk") ? 1 : !strcmp(s, "raw") ? 2 : 0;
}

/* 0, 1 (--list done) or -1 (bad arguments). */
static int parse_args(int argc, char **argv, struct plan *p)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "reps", required_argument, NULL, 'r' },
		{ "only", required_argument, NULL, 'o' },
		{ "side", required_argument, NULL, 's' },
		{ "no-warmup", no_argument, NULL, 'w' },
		{ "list", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*p = (struct plan){ .count = 2000, .reps = 5, .sides = 3, .warmup = 1 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': p->count = atol(optarg); break;
		case 'r': p->reps = atoi(optarg); break;
		case 'o': p->only = optarg; break;
		case 's': p->sides = parse_side(optarg); break;
		case 'w': p->warmup = 0; break;
		case 'l': list_cases(); return 1;
		default: return -1;
		}
	}
	if (optind != argc || p->count < 0 || p->reps < 1 || p->reps > MAX_REPS || !p->sides ||
	    (p->only && !find_case(p->only)) || (p->sides != 3 && !p->only))
		return -1;
	return 0;
}

static void header(const struct plan *p)
{
	struct utsname u;

	uname(&u);
	printf("ops-bench on Linux %s, %ld CPUs: ns per operation, median of %d runs per side "
	       "(sides interleaved); --count %ld (scaled per operation)\n",
	       u.release, sysconf(_SC_NPROCESSORS_ONLN), p->reps, p->count);
	printf("%-16s %10s %10s %8s  %s\n", "operation", "SDK ns/op", "raw ns/op", "SDK/raw",
	       "(each run, ns/op)");
}

int main(int argc, char **argv)
{
	const struct ops_case *only;
	uint32_t needs = 0;
	struct ops_env e;
	struct plan p;
	int rc = parse_args(argc, argv, &p);

	if (rc)
		return rc > 0 ? 0 : usage();
	only = p.only ? find_case(p.only) : NULL;
	for (size_t t = 0; t < NTABLES; t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			if (!only || only == &tables[t].cases[i])
				needs |= tables[t].cases[i].needs;
	rc = ops_env_open(&e, needs);
	if (!rc && p.sides == 3)
		header(&p);
	for (size_t t = 0; !rc && t < NTABLES; t++)
		for (size_t i = 0; !rc && i < *tables[t].n; i++)
			if (!only || only == &tables[t].cases[i])
				rc = run_case(&tables[t].cases[i], &e, &p);
	ops_env_close(&e);
	return rc ? 1 : 0;
}
