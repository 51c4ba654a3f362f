// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Step 4: the page-request loop.
 *
 * The /dev/ioasid proposal's PAGE_REQUEST scenario: a device DMAs into a
 * guest IOVA the guest has not populated yet (I/O page fault); the IOMMU
 * raises a page request, the VMM reads it from the ioasid fd, injects it
 * into the guest's vIOMMU, and when the guest has fixed its table the VMM
 * sends the page response that lets the device retry.  Today: a fault
 * queue (IOMMU_FAULT_QUEUE_ALLOC) named by the nested HWPT (fault_id), a
 * file descriptor the VMM polls in its event loop, page-request groups read
 * from it and answered by cookie.  Here the mock raises the requests
 * (iommufd_test_trigger_iopf) and the "guest" answers every one at once.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "vmm.h"

#define REQUESTS 8u
#define GUEST_BUFFER_IOVA 0x40000000ull /* where the device faults, page by page */
#define POLL_MS 5000

/* The VMM's event loop, reduced to the fault queue: wait, read what waits,
 * answer each group.  Returns how many requests it answered, or -1. */
static int serve(struct vmm *vmm, struct iommufd_fault_queue *q, uint32_t dev_id,
		 uint64_t seen[REQUESTS])
{
	struct pollfd p = { .fd = iommufd_fault_queue_fd(q), .events = POLLIN };
	struct iommufd_fault faults[4]; /* small on purpose: several reads */
	unsigned int answered = 0;

	while (answered < REQUESTS) {
		struct iommufd_fault_group g;
		size_t pos = 0;
		ssize_t n;
		int rc;

		if (poll(&p, 1, POLL_MS) != 1)
			return check(vmm, 0, "page request %u of %u did not come within %d ms",
				     answered + 1, REQUESTS, POLL_MS), -1;
		n = iommufd_fault_queue_read(q, faults, 4);
		if (n < 0)
			return failed_call(vmm, "iommufd_fault_queue_read", (int)n);
		while ((rc = iommufd_fault_next_group(faults, (size_t)n, &pos, &g)) == 1) {
			/* The guest would fix its table here; the answer says retry. */
			if (g.faults[0].dev_id == dev_id && answered < REQUESTS)
				seen[answered] = g.faults[0].addr;
			rc = iommufd_fault_queue_respond(q, g.cookie, IOMMUFD_FAULT_RESP_SUCCESS);
			if (rc)
				return failed_call(vmm, "iommufd_fault_queue_respond", rc);
			answered++;
		}
		if (rc < 0)
			return failed_call(vmm, "iommufd_fault_next_group", rc);
	}
	return (int)answered;
}

static void raise_and_serve(struct vmm *vmm, struct iommufd_fault_queue *q)
{
	uint64_t seen[REQUESTS] = { 0 };
	unsigned int in_order = 0;
	int answered, rc;

	for (uint32_t i = 0; i < REQUESTS; i++) {
		rc = iommufd_test_trigger_iopf(vmm->ctx, vmm->accel.dev_id, 0, i,
					       IOMMUFD_FAULT_PERM_READ | IOMMUFD_FAULT_PERM_WRITE,
					       GUEST_BUFFER_IOVA + i * 4096ull);
		if (rc) {
			failed_call(vmm, "iommufd_test_trigger_iopf", rc);
			return;
		}
	}
	say("accel faulted on %u pages of guest IOVA 0x%llx..: serving its page requests",
	    REQUESTS, (unsigned long long)GUEST_BUFFER_IOVA);
	answered = serve(vmm, q, vmm->accel.dev_id, seen);
	if (answered < 0)
		return;
	for (uint32_t i = 0; i < REQUESTS; i++)
		in_order += seen[i] == GUEST_BUFFER_IOVA + i * 4096ull;
	check(vmm, (unsigned int)answered == REQUESTS && in_order == REQUESTS,
	      "%d page requests read from the fault queue, from accel, for the pages it "
	      "faulted on, in order (%u of %u)", answered, in_order, REQUESTS);
	check(vmm, iommufd_fault_queue_owed(q) == 0, "every request answered (0 owed)");
	check(vmm, iommufd_fault_queue_respond(q, 12345, IOMMUFD_FAULT_RESP_SUCCESS) == -ENOENT,
	      "an answer to a request never made is refused (ENOENT)");
}

int page_request_loop(struct vmm *vmm)
{
	const struct iommufd_hwpt_selftest guest_table = { .iotlb = 0 };
	struct iommufd_fault_queue *q = NULL;
	uint32_t iopf_hwpt = 0;
	int rc;

	step("The page-request loop", "PAGE_REQUEST: fault reported, injected, page response");
	if (!vmm->s2_parent) {
		skip(vmm, "no nesting parent (step 2 did not run)");
		return 0;
	}
	if (!feature(vmm, vmm->accel.dev_id, IOMMUFD_FEATURE_PAGE_REQUEST))
		return 0;
	rc = iommufd_fault_queue_alloc(vmm->ctx, NULL, &q);
	if (rc)
		return failed_call(vmm, "iommufd_fault_queue_alloc", rc);
	{
		/* The guest's table for accel, reporting its faults to the queue. */
		IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, o, .fault_id = iommufd_fault_queue_id(q),
			     .data_type = IOMMUFD_HWPT_DATA_SELFTEST,
			     .data_len = sizeof(guest_table), .data = &guest_table);

		rc = iommufd_hwpt_alloc(vmm->ctx, vmm->accel.dev_id, vmm->s2_parent, &o,
					&iopf_hwpt);
	}
	if (rc) {
		failed_call(vmm, "iommufd_hwpt_alloc (nested, fault_id)", rc);
	} else if ((rc = iommufd_test_mock_domain_replace(vmm->ctx, vmm->accel.stdev_id,
							 iopf_hwpt, NULL))) {
		failed_call(vmm, "iommufd_test_mock_domain_replace", rc);
	} else {
		say("fault queue %u (fd %d); accel on nested HWPT %u that reports to it",
		    iommufd_fault_queue_id(q), iommufd_fault_queue_fd(q), iopf_hwpt);
		raise_and_serve(vmm, q);
		/* Teardown order: the device leaves the HWPT, the HWPT goes, then
		 * the queue (a queue an HWPT still names is busy). */
		rc = iommufd_test_mock_domain_replace(vmm->ctx, vmm->accel.stdev_id,
						      vmm->gpa_ioas, &vmm->accel.hwpt_id);
		if (rc)
			failed_call(vmm, "iommufd_test_mock_domain_replace", rc);
	}
	if (iopf_hwpt && (rc = iommufd_destroy(vmm->ctx, iopf_hwpt)))
		failed_call(vmm, "iommufd_destroy", rc);
	rc = iommufd_fault_queue_close(q);
	return rc ? failed_call(vmm, "iommufd_fault_queue_close", rc) : 0;
}
