/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fault benchmark: page requests handled end to end (the mock device
 * raises one, the handler reads it and answers) through the SDK's ring
 * versus a raw poll/read/write loop on the queue's fd.
 */
#ifndef FAULT_BENCH_H
#define FAULT_BENCH_H

#include <stdint.h>

#include <libiommufd/libiommufd.h>
#include <libiommufd/fault.h>

/* One run's setup: a mock device on a nested HWPT that reports to @queue. */
struct bench_env {
	struct iommufd_ctx *ctx;
	uint32_t dev_id;
	struct iommufd_fault_queue *queue;
};

/* What one run measured. */
struct bench_result {
	uint64_t faults;   /* page requests raised and answered */
	double seconds;    /* from the first trigger (backlog: the handler's start)
			    * to the last answer */
	uint64_t reads;    /* read(2) calls (raw) or ring takes that returned records */
	uint64_t full;     /* ring: times the pump found the ring full */
	uint64_t pump_reads;
	uint64_t signals;
};

struct bench_opts {
	uint64_t count;    /* page requests per run */
	uint32_t batch;    /* records per read / take */
	uint32_t capacity; /* ring capacity */
	int backlog;       /* raise them all first, then time the handler alone */
};

/* fault_loops.c: one run of each handler; 0 or a negative errno. */
int bench_raw(const struct bench_env *env, const struct bench_opts *o, struct bench_result *r);
int bench_ring(const struct bench_env *env, const struct bench_opts *o, struct bench_result *r);

#endif
