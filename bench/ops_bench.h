/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The operations benchmark (libiommufd-ops-bench): each operation done once
 * through the SDK and once with a hand-written ioctl against the kernel's
 * uAPI (the project's own ABI definitions, src/uapi), timed in alternating
 * runs inside the test VM.  ops_env.c builds what the operations work on;
 * ops_ioas.c, ops_hwpt.c and ops_fault.c hold the operations.
 */
#ifndef OPS_BENCH_H
#define OPS_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include <libiommufd/libiommufd.h>
#include <libiommufd/fault.h>

/* What an operation needs built before it runs (bits of ops_case::needs). */
enum ops_need {
	OPS_NEED_MAP = 1u << 0,    /* the IOAS with a mock device, the buffers */
	OPS_NEED_COPY = 1u << 1,   /* a source IOAS with 2 MiB mapped */
	OPS_NEED_NESTED = 1u << 2, /* a mock device on a nested HWPT */
	OPS_NEED_DIRTY = 1u << 3,  /* a dirty-tracking HWPT over a large range */
	OPS_NEED_FAULT = 1u << 4,  /* a fault queue behind a nested HWPT */
};

#define OPS_INV_BATCH 64                 /* entries of the batched invalidation */
#define OPS_DIRTY_SLICE (8ull << 20)     /* one buffer, mapped again and again... */
#define OPS_DIRTY_RANGE (1ull << 30)     /* ...over 1 GiB of IOVA */

struct ops_env {
	struct iommufd_ctx *ctx;
	int fd; /* the context's /dev/iommu, for the raw side */

	/* OPS_NEED_MAP: IOAS @ioas with a mock device @dev_id attached. */
	uint32_t ioas, stdev_id, dev_id;
	void *buf_4k, *buf_2m; /* populated, 2 MiB aligned */
	uint64_t fixed_iova;   /* a free, 2 MiB aligned IOVA of @ioas */

	/* OPS_NEED_COPY: @copy_src maps @buf_2m at @copy_src_iova. */
	uint32_t copy_src;
	uint64_t copy_src_iova;

	/* OPS_NEED_NESTED / OPS_NEED_FAULT: mock device @nest_dev_id under a
	 * nesting parent; @nested takes invalidations, @fault_hwpt (the
	 * device's domain) reports page requests to @queue. */
	uint32_t nest_ioas, nest_stdev_id, nest_dev_id, parent, nested, fault_hwpt;
	struct iommufd_fault_queue *queue;
	int queue_fd;

	/* OPS_NEED_DIRTY: @dirty_hwpt tracks [@dirty_iova, + OPS_DIRTY_RANGE)
	 * of @dirty_ioas at the mock's page size. */
	uint32_t dirty_ioas, dirty_hwpt;
	uint64_t dirty_iova;
	void *dirty_buf;
	uint64_t *bitmap;
	size_t bitmap_len;
};

/* One operation: @sdk and @raw each do it once; 0 or a negative errno. */
struct ops_case {
	const char *key;  /* the row's name */
	const char *what; /* one line on what one operation is */
	uint32_t needs;   /* enum ops_need */
	uint32_t weight;  /* it runs --count * weight / 1024 times per run (at
			   * least once): cheap operations more, slow ones less */
	int (*sdk)(struct ops_env *e);
	int (*raw)(struct ops_env *e);
};

extern const struct ops_case ops_ioas_cases[];
extern const size_t ops_ioas_ncases;
extern const struct ops_case ops_hwpt_cases[];
extern const size_t ops_hwpt_ncases;
extern const struct ops_case ops_fault_cases[];
extern const size_t ops_fault_ncases;

/* ops_env.c: build what @needs asks for / tear all of it down. */
int ops_env_open(struct ops_env *e, uint32_t needs);
void ops_env_close(struct ops_env *e);

/* The raw side's one system call: ioctl(2) of iommufd command @nr on @fd;
 * 0 or a negative errno. */
int ops_raw_cmd(int fd, uint32_t nr, void *arg);

#endif
