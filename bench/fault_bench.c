// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libiommufd-fault-bench: page requests handled per second, end to end
 * (the mock raises one -> the handler reads it -> answers it), through the
 * SDK's ring and through a raw poll/read/write loop, measured alternately
 * in one run and printed as a ratio.  Runs inside the test VM (it needs
 * the iommufd selftest mock): bench/run-fault-bench.sh.
 *
 *   libiommufd-fault-bench [--mode both|raw|ring] [--scenario both|live|backlog]
 *                          [--count N] [--reps R] [--batch B] [--capacity C]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <libiommufd/testing.h>

#include "fault_bench.h"
#include "median.h"


struct bench_setup {
	struct bench_env env;
	uint32_t ioas_id, stdev_id, parent_id, hwpt_id;
};

static int fail(struct iommufd_ctx *ctx, const char *what, int rc)
{
	fprintf(stderr, "fault-bench: %s: %s\n", what, iommufd_ctx_last_error(ctx));
	return rc;
}

/* A mock device, a NEST_PARENT HWPT for the nested ones of each run. */
static int setup_open(struct bench_setup *s)
{
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, parent, .flags = IOMMUFD_HWPT_NEST_PARENT);
	uint32_t mock_hwpt_id;
	int rc = iommufd_ctx_open(NULL, &s->env.ctx);

	if (rc)
		return fail(NULL, "open /dev/iommu (run inside the test VM)", rc);
	rc = iommufd_ioas_alloc(s->env.ctx, &s->ioas_id);
	if (!rc)
		rc = iommufd_test_mock_domain(s->env.ctx, s->ioas_id, 0, &s->stdev_id,
					      &mock_hwpt_id, &s->env.dev_id);
	if (!rc)
		rc = iommufd_hwpt_alloc(s->env.ctx, s->env.dev_id, s->ioas_id, &parent,
					&s->parent_id);
	return rc ? fail(s->env.ctx, "setup", rc) : 0;
}

/* A fresh fault queue and a nested HWPT naming it, the device moved on it. */
static int run_open(struct bench_setup *s)
{
	struct iommufd_hwpt_selftest data = { .iotlb = 0 };
	int rc = iommufd_fault_queue_alloc(s->env.ctx, NULL, &s->env.queue);

	if (rc)
		return fail(s->env.ctx, "fault queue", rc);
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, nested,
		     .fault_id = iommufd_fault_queue_id(s->env.queue),
		     .data_type = IOMMUFD_HWPT_DATA_SELFTEST, .data_len = sizeof(data),
		     .data = &data);
	rc = iommufd_hwpt_alloc(s->env.ctx, s->env.dev_id, s->parent_id, &nested, &s->hwpt_id);
	if (!rc)
		rc = iommufd_test_mock_domain_replace(s->env.ctx, s->stdev_id, s->hwpt_id, NULL);
	return rc ? fail(s->env.ctx, "fault HWPT", rc) : 0;
}

static int run_close(struct bench_setup *s)
{
	/* Back onto the IOAS (an automatic domain), so the HWPT can go. */
	int rc = iommufd_test_mock_domain_replace(s->env.ctx, s->stdev_id, s->ioas_id, NULL);

	if (!rc)
		rc = iommufd_destroy(s->env.ctx, s->hwpt_id);
	if (!rc)
		rc = iommufd_fault_queue_close(s->env.queue);
	s->env.queue = NULL;
	return rc ? fail(s->env.ctx, "teardown", rc) : 0;
}

static int run_one(struct bench_setup *s, const struct bench_opts *o, int ring,
		   struct bench_result *r)
{
	int rc = run_open(s);

	*r = (struct bench_result){ 0 };
	if (!rc)
		rc = ring ? bench_ring(&s->env, o, r) : bench_raw(&s->env, o, r);
	if (rc) {
		fprintf(stderr, "fault-bench: %s run: %s (%s)\n", ring ? "ring" : "raw",
			strerror(-rc), iommufd_ctx_last_error(s->env.ctx));
		return rc;
	}
	if (r->faults != o->count) {
		fprintf(stderr, "fault-bench: %llu of %llu page requests answered\n",
			(unsigned long long)r->faults, (unsigned long long)o->count);
		return -EIO;
	}
	return run_close(s);
}

struct mode_stats {
	double rate[MAX_REPS];
	uint64_t reads, full;
};

/* What to run: modes (bit 0 raw, bit 1 ring) and scenarios (bit 0 live,
 * bit 1 backlog). */
struct bench_plan {
	struct bench_opts o;
	int reps, modes, scenarios;
};

static const char *const mode_name[] = { "raw", "ring" };
static const char *const mode_how[] = {
	"1 thread: poll + read(2) batch + write(2)",
	"SDK: pump thread -> ring -> consumer thread",
};
static const char *const scenario_name[] = { "live", "backlog" };

static void print_row(int sc, int m, const struct mode_stats *st, const struct bench_plan *p)
{
	printf("%-8s %-5s %-43s %9.0f  ", scenario_name[sc], mode_name[m], mode_how[m],
	       median(st->rate, p->reps));
	for (int i = 0; i < p->reps; i++)
		printf("%s%.0f", i ? "/" : "", st->rate[i]);
	printf("  %.1f", (double)p->o.count * p->reps / (double)(st->reads ? st->reads : 1));
	if (st->full)
		printf("  full-stalls %llu", (unsigned long long)st->full);
	printf("\n");
}

static void report(const struct mode_stats st[2][2], const struct bench_plan *p)
{
	struct utsname u;

	uname(&u);
	printf("fault-bench on Linux %s, %ld CPUs: %llu page requests per run (the mock's "
	       "TRIGGER_IOPF, one ioctl each, from a producer thread); %d runs per mode, "
	       "alternating; batch %u, ring capacity %u\n", u.release,
	       sysconf(_SC_NPROCESSORS_ONLN), (unsigned long long)p->o.count, p->reps,
	       p->o.batch, p->o.capacity);
	printf("  live:    the producer runs while the handler works; time from the first "
	       "trigger to the last answer\n");
	printf("  backlog: all requests raised first; time of the handler alone (read -> "
	       "respond)\n");
	printf("%-8s %-5s %-43s %9s  %s  %s\n", "scenario", "mode", "handler", "faults/s",
	       "(each run)", "records/read");
	for (int sc = 0; sc < 2; sc++) {
		if (!(p->scenarios & (1 << sc)))
			continue;
		for (int m = 0; m < 2; m++)
			if (p->modes & (1 << m))
				print_row(sc, m, &st[sc][m], p);
		if (p->modes == 3)
			printf("%-8s ring/raw: %.2f (medians)\n", scenario_name[sc],
			       median(st[sc][1].rate, p->reps) / median(st[sc][0].rate, p->reps));
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: libiommufd-fault-bench [--mode both|raw|ring] "
			"[--scenario both|live|backlog] [--count N] [--reps R (1..%d)] "
			"[--batch B] [--capacity C]\n", MAX_REPS);
	return 2;
}

/* "both", or one of @names: a bit mask of what to run; 0 if unknown. */
static int pick(const char *arg, const char *const names[2])
{
	if (!strcmp(arg, "both"))
		return 3;
	return !strcmp(arg, names[0]) ? 1 : !strcmp(arg, names[1]) ? 2 : 0;
}

static int parse_args(int argc, char **argv, struct bench_plan *p)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "scenario", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "reps", required_argument, NULL, 'r' },
		{ "batch", required_argument, NULL, 'b' },
		{ "capacity", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*p = (struct bench_plan){ .o = { .count = 20000, .batch = 64, .capacity = 256 },
				  .reps = 5, .modes = 3, .scenarios = 3 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': p->modes = pick(optarg, mode_name); break;
		case 's': p->scenarios = pick(optarg, scenario_name); break;
		case 'n': p->o.count = strtoull(optarg, NULL, 0); break;
		case 'r': p->reps = atoi(optarg); break;
		case 'b': p->o.batch = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'c': p->o.capacity = (uint32_t)strtoul(optarg, NULL, 0); break;
		default: return -1;
		}
	}
	if (optind != argc || p->reps < 1 || p->reps > MAX_REPS || !p->o.batch || !p->modes ||
	    !p->scenarios)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct mode_stats st[2][2] = { 0 };
	struct bench_setup s = { 0 };
	struct bench_plan p;

	if (parse_args(argc, argv, &p))
		return usage();
	if (setup_open(&s))
		return 1;
	/* Alternate the modes so drift in the machine hits both alike. */
	for (int sc = 0; sc < 2; sc++)
		for (int i = 0; i < p.reps && (p.scenarios & (1 << sc)); i++)
			for (int m = 0; m < 2; m++) {
				struct bench_result r;

				if (!(p.modes & (1 << m)))
					continue;
				p.o.backlog = sc;
				if (run_one(&s, &p.o, m, &r))
					return 1;
				st[sc][m].rate[i] = r.seconds > 0 ? (double)r.faults / r.seconds
								  : 0;
				st[sc][m].reads += r.reads;
				st[sc][m].full += r.full;
			}
	if (p.o.count)
		report(st, &p);
	else
		printf("fault-bench: setup and teardown only (no page requests)\n");
	iommufd_ctx_close(s.env.ctx);
	return 0;
}
