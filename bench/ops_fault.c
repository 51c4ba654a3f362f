// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One page request round trip, on one thread: the mock device raises it
 * (the selftest's TRIGGER_IOPF), the handler reads it from the queue and
 * answers it.  SDK: iommufd_fault_queue_read() + iommufd_fault_queue_respond();
 * raw: read(2) + write(2) on the queue's fd.  (The threaded ring against a
 * raw poll loop is libiommufd-fault-bench's subject.)
 */
#include <errno.h>
#include <unistd.h>

#include <libiommufd/testing.h>

#include "ops_bench.h"
#include "uapi/iommufd_abi.h"
#include "uapi/iommufd_test_abi.h"

#define PERM (IOMMUFD_FAULT_PERM_READ | IOMMUFD_FAULT_PERM_WRITE)
#define ADDR 0x100000000ull

static int sdk_fault(struct ops_env *e)
{
	struct iommufd_fault f[4];
	int rc = iommufd_test_trigger_iopf(e->ctx, e->nest_dev_id, 0, 1, PERM, ADDR);
	ssize_t n = rc ? rc : iommufd_fault_queue_read(e->queue, f, 4);

	if (n < 0)
		return (int)n;
	/* The mock queues the request inside the trigger ioctl. */
	if (n != 1)
		return -EIO;
	return iommufd_fault_queue_respond(e->queue, f[0].cookie, IOMMUFD_FAULT_RESP_SUCCESS);
}

static int raw_fault(struct ops_env *e)
{
	struct uapi_test_cmd t = {
		.size = sizeof(t),
		.op = UAPI_TEST_OP_TRIGGER_IOPF,
		.trigger_iopf = { .dev_id = e->nest_dev_id, .grpid = 1, .perm = PERM,
				  .addr = ADDR },
	};
	struct uapi_hwpt_pgfault f[4];
	struct uapi_hwpt_page_response r = { .code = UAPI_PAGE_RESP_SUCCESS };
	ssize_t n;

	if (ioctl(e->fd, UAPI_IOMMU_TEST_CMD, &t) < 0)
		return -errno;
	n = read(e->queue_fd, f, sizeof(f));
	if (n < 0)
		return -errno;
	if (n != sizeof(f[0]))
		return -EIO;
	r.cookie = f[0].cookie;
	return write(e->queue_fd, &r, sizeof(r)) == sizeof(r) ? 0 : -EIO;
}

const struct ops_case ops_fault_cases[] = {
	{ "fault-roundtrip", "TRIGGER_IOPF + read the request + answer it (one thread)",
	  OPS_NEED_FAULT, 1024, sdk_fault, raw_fault },
};
const size_t ops_fault_ncases = sizeof(ops_fault_cases) / sizeof(ops_fault_cases[0]);
