// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Step 1: guest memory as an IOAS.
 *
 * The /dev/ioasid proposal starts every VM the same way: the VMM allocates
 * an I/O address space and maps all of guest RAM into it, IOVA = GPA, so a
 * device the guest drives with guest-physical addresses reaches the right
 * host pages.  Today that is IOMMU_IOAS_ALLOC plus IOMMU_IOAS_MAP with a
 * fixed IOVA: the IOAS holds GPA -> HVA, the kernel pins the pages and
 * programs every IOMMU domain attached to it.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmm.h"

int guest_memory_setup(struct vmm *vmm)
{
	uint64_t gpa = GUEST_RAM_GPA;
	int rc;

	step("Guest memory as an IOAS (GPA -> HVA)", "one IOASID for the whole guest RAM");
	vmm->ram = mmap(NULL, GUEST_RAM_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vmm->ram == MAP_FAILED) {
		vmm->ram = NULL;
		return check(vmm, 0, "mmap of %u bytes of guest RAM", GUEST_RAM_SIZE), -1;
	}
	rc = iommufd_ioas_alloc(vmm->ctx, &vmm->gpa_ioas);
	if (rc)
		return failed_call(vmm, "iommufd_ioas_alloc", rc);
	/* IOVA = GPA: the guest's DMA addresses are its physical addresses. */
	rc = iommufd_ioas_map(vmm->ctx, vmm->gpa_ioas, vmm->ram, GUEST_RAM_SIZE,
			      IOMMUFD_MAP_FIXED_IOVA | IOMMUFD_MAP_READABLE |
				      IOMMUFD_MAP_WRITEABLE,
			      &gpa);
	if (rc)
		return failed_call(vmm, "iommufd_ioas_map", rc);
	say("IOAS %u: guest RAM GPA 0x%llx..0x%llx -> HVA %p", vmm->gpa_ioas,
	    (unsigned long long)gpa, (unsigned long long)(gpa + GUEST_RAM_SIZE - 1), vmm->ram);
	return 0;
}
