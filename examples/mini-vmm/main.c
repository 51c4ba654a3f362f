// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mini-vmm: the scenarios of the original /dev/ioasid proposal, one after
 * the other, on today's iommufd through libiommufd:
 *
 *   1. guest memory as an IOAS (GPA -> HVA), devices attached, DMA through it
 *   2. a guest IOVA space: a nested HWPT on a nesting parent, invalidations
 *   3. a guest SVA space: a nested HWPT attached at a PASID
 *   4. the page-request loop: a fault queue polled and answered
 *
 * The devices are the iommufd selftest mock's (CONFIG_IOMMUFD_TEST), which
 * also lets the VMM check its own work.  Each step asks the library's probe
 * first and is skipped, saying why, where the kernel lacks it.
 *
 * Exit status: 0 every check passed (steps may have been skipped), 1 a check
 * failed, 2 it could not start (no /dev/iommu, or no selftest mock).
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#include "vmm.h"

static int start(struct vmm *vmm)
{
	struct utsname u;
	int rc;

	uname(&u);
	printf("mini-vmm: the /dev/ioasid scenarios on iommufd, libiommufd %s, Linux %s\n",
	       iommufd_version_string(), u.release);
	rc = iommufd_ctx_open(NULL, &vmm->ctx);
	if (rc) {
		fprintf(stderr, "mini-vmm: %s\n",
			iommufd_ctx_last_error(NULL));
		return -1;
	}
	if (iommufd_test_op_supported(vmm->ctx, IOMMUFD_TEST_OP_MOCK_DOMAIN) != 1) {
		fprintf(stderr, "mini-vmm: this kernel has no iommufd selftest mock "
				"(CONFIG_IOMMUFD_TEST), whose devices this example uses in place "
				"of assigned ones; run it in the test VM: "
				"tests/vm/run latest -- build/examples/mini-vmm/mini-vmm\n");
		return -1;
	}
	return 0;
}

void vmm_teardown(struct vmm *vmm)
{
	/* Closing the iommufd destroys every object left (devices detach,
	 * HWPTs and the IOAS go, pages are unpinned), as when a VMM exits. */
	iommufd_ctx_close(vmm->ctx);
	if (vmm->ram)
		munmap(vmm->ram, GUEST_RAM_SIZE);
}

int main(void)
{
	struct vmm vmm;

	memset(&vmm, 0, sizeof(vmm));
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (start(&vmm))
		return 2;
	if (guest_memory_setup(&vmm) == 0 && devices_attach(&vmm) == 0 &&
	    guest_iova_space(&vmm) == 0) {
		guest_sva_space(&vmm);
		page_request_loop(&vmm);
	}
	vmm_teardown(&vmm);
	printf("\nmini-vmm: %u checks passed, %u failed, %u skipped where this kernel "
	       "lacks a feature\n", vmm.passed, vmm.failed, vmm.skipped);
	return vmm.failed ? 1 : 0;
}
