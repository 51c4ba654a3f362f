// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the operations work on, built once through the SDK (setup is not
 * measured): mock devices from the iommufd selftest mock, the IOASes and
 * HWPTs around them, a fault queue, buffers.  Only the parts the chosen
 * operations need are built, so a run of one operation (the syscall count
 * of bench/run) pays for nothing else.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <libiommufd/testing.h>

#include "ops_bench.h"
#include "uapi/iommufd_abi.h"

#define MAP_RW (IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE)

int ops_raw_cmd(int fd, uint32_t nr, void *arg)
{
	return ioctl(fd, UAPI_IOMMUFD_IOCTL(nr), arg) < 0 ? -errno : 0;
}

static int fail(struct ops_env *e, const char *what, int rc)
{
	fprintf(stderr, "ops-bench: %s: %s (%s)\n", what, strerror(-rc),
		iommufd_ctx_last_error(e->ctx));
	return rc;
}

/* Populated anonymous memory of @len bytes, aligned to 2 MiB (so the 2 MiB
 * buffer is one huge IOMMU page where the IOAS allows it); NULL on failure. */
static void *buffer(size_t len)
{
	const size_t align = 2u << 20;
	char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	memset(a, 0x5a, len);
	return a;
}

static int open_map(struct ops_env *e)
{
	uint64_t align;
	int rc = iommufd_ioas_alloc(e->ctx, &e->ioas);

	if (!rc)
		rc = iommufd_test_mock_domain(e->ctx, e->ioas, 0, &e->stdev_id, NULL, &e->dev_id);
	if (rc)
		return fail(e, "IOAS with a mock device", rc);
	e->buf_4k = buffer(4096);
	e->buf_2m = buffer(2u << 20);
	if (!e->buf_4k || !e->buf_2m)
		return fail(e, "buffers", -ENOMEM);
	/* A VMM asks for the ranges before it maps: the SDK's alignment cache
	 * is warm, as in steady state. */
	rc = iommufd_ioas_iova_ranges(e->ctx, e->ioas, NULL, 0, &align);
	if (rc < 0)
		return fail(e, "IOVA ranges", rc);
	e->fixed_iova = 1ull << 30; /* inside the mock's aperture, 2 MiB aligned */
	return 0;
}

static int open_copy(struct ops_env *e)
{
	int rc = iommufd_ioas_alloc(e->ctx, &e->copy_src);

	if (!rc)
		rc = iommufd_ioas_map(e->ctx, e->copy_src, e->buf_2m, 2u << 20, MAP_RW,
				      &e->copy_src_iova);
	return rc ? fail(e, "copy source", rc) : 0;
}

static int open_nested(struct ops_env *e)
{
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, parent, .flags = IOMMUFD_HWPT_NEST_PARENT);
	struct iommufd_hwpt_selftest data = { .iotlb = 0 };
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, nested, .data_type = IOMMUFD_HWPT_DATA_SELFTEST,
		     .data_len = sizeof(data), .data = &data);
	int rc = iommufd_ioas_alloc(e->ctx, &e->nest_ioas);

	if (!rc)
		rc = iommufd_test_mock_domain(e->ctx, e->nest_ioas, 0, &e->nest_stdev_id, NULL,
					      &e->nest_dev_id);
	if (!rc)
		rc = iommufd_hwpt_alloc(e->ctx, e->nest_dev_id, e->nest_ioas, &parent, &e->parent);
	if (!rc)
		rc = iommufd_hwpt_alloc(e->ctx, e->nest_dev_id, e->parent, &nested, &e->nested);
	return rc ? fail(e, "nested HWPT", rc) : 0;
}

/* A second nested HWPT that reports to a fault queue, the device on it. */
static int open_fault(struct ops_env *e)
{
	struct iommufd_hwpt_selftest data = { .iotlb = 0 };
	int rc = iommufd_fault_queue_alloc(e->ctx, NULL, &e->queue);

	if (rc)
		return fail(e, "fault queue", rc);
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, o, .fault_id = iommufd_fault_queue_id(e->queue),
		     .data_type = IOMMUFD_HWPT_DATA_SELFTEST, .data_len = sizeof(data),
		     .data = &data);
	rc = iommufd_hwpt_alloc(e->ctx, e->nest_dev_id, e->parent, &o, &e->fault_hwpt);
	if (!rc)
		rc = iommufd_test_mock_domain_replace(e->ctx, e->nest_stdev_id, e->fault_hwpt,
						      NULL);
	e->queue_fd = iommufd_fault_queue_fd(e->queue);
	return rc ? fail(e, "fault HWPT", rc) : 0;
}

/* As the kernel's dirty selftest: IOMMU pages of the mock's own size, so a
 * bit is one 2 KiB page; one buffer mapped over and over gives the range
 * without pinning a GiB. */
static int open_dirty(struct ops_env *e)
{
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, o, .flags = IOMMUFD_HWPT_DIRTY_TRACKING);
	uint64_t bits = OPS_DIRTY_RANGE / IOMMUFD_TEST_PAGE_SIZE;
	int rc = iommufd_ioas_alloc(e->ctx, &e->dirty_ioas);

	if (!rc)
		rc = iommufd_option_set(e->ctx, IOMMUFD_OPTION_HUGE_PAGES, e->dirty_ioas, 0);
	if (!rc)
		rc = iommufd_hwpt_alloc(e->ctx, e->dev_id, e->dirty_ioas, &o, &e->dirty_hwpt);
	if (rc)
		return fail(e, "dirty-tracking HWPT", rc);
	e->dirty_buf = buffer(OPS_DIRTY_SLICE);
	e->bitmap_len = (size_t)(bits / 8);
	e->bitmap = buffer(e->bitmap_len);
	if (!e->dirty_buf || !e->bitmap)
		return fail(e, "dirty buffers", -ENOMEM);
	e->dirty_iova = IOMMUFD_TEST_APERTURE_START;
	for (uint64_t off = 0; !rc && off < OPS_DIRTY_RANGE; off += OPS_DIRTY_SLICE) {
		uint64_t iova = e->dirty_iova + off;

		rc = iommufd_ioas_map(e->ctx, e->dirty_ioas, e->dirty_buf, OPS_DIRTY_SLICE,
				      MAP_RW | IOMMUFD_MAP_FIXED_IOVA, &iova);
	}
	if (!rc)
		rc = iommufd_hwpt_set_dirty_tracking(e->ctx, e->dirty_hwpt, 1);
	return rc ? fail(e, "dirty range", rc) : 0;
}

int ops_env_open(struct ops_env *e, uint32_t needs)
{
	int rc;

	*e = (struct ops_env){ .fd = -1, .queue_fd = -1 };
	rc = iommufd_ctx_open(NULL, &e->ctx);
	if (rc) {
		fprintf(stderr, "ops-bench: open /dev/iommu (run inside the test VM): %s\n",
			iommufd_ctx_last_error(NULL));
		return rc;
	}
	e->fd = iommufd_ctx_fd(e->ctx);
	if (needs & (OPS_NEED_COPY | OPS_NEED_DIRTY))
		needs |= OPS_NEED_MAP;
	if (needs & OPS_NEED_FAULT)
		needs |= OPS_NEED_NESTED;
	rc = needs & OPS_NEED_MAP ? open_map(e) : 0;
	if (!rc && (needs & OPS_NEED_COPY))
		rc = open_copy(e);
	if (!rc && (needs & OPS_NEED_NESTED))
		rc = open_nested(e);
	if (!rc && (needs & OPS_NEED_FAULT))
		rc = open_fault(e);
	if (!rc && (needs & OPS_NEED_DIRTY))
		rc = open_dirty(e);
	return rc;
}

/* Closing the context destroys every object in it; the queue goes first
 * (its HWPT with the context).  Buffers are left to the process's exit. */
void ops_env_close(struct ops_env *e)
{
	if (e->fault_hwpt)
		iommufd_test_mock_domain_replace(e->ctx, e->nest_stdev_id, e->nest_ioas, NULL);
	if (e->fault_hwpt)
		iommufd_destroy(e->ctx, e->fault_hwpt);
	iommufd_fault_queue_close(e->queue);
	iommufd_ctx_close(e->ctx);
}
