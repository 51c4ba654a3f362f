// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Step 2: a guest IOVA space, nested on guest memory.
 *
 * The /dev/ioasid proposal's nesting scenario: the guest programs its own
 * vIOMMU page table (guest IOVA -> GPA); the VMM does not shadow it but
 * "binds" it (BIND_PGTBL) as a child IOASID of the GPA IOASID, so the
 * hardware walks both stages, and forwards the guest's IOTLB flushes
 * (CACHE_INVLD).  Today: the GPA IOAS becomes a nesting parent HWPT
 * (IOMMU_HWPT_ALLOC with IOMMUFD_HWPT_NEST_PARENT), the guest's table is a
 * nested HWPT on it carrying vendor data (a VT-d stage-1 pointer, an SMMUv3
 * STE; here the mock's), the device is attached to the nested HWPT, and the
 * guest's invalidations go through IOMMU_HWPT_INVALIDATE.
 */
#include <string.h>

#include "vmm.h"

/* The mock keeps 4 IOTLB entries per nested HWPT, filled with the value
 * given at allocation: a stand-in for translations the guest's table
 * produced and the hardware cached. */
#define MOCK_IOTLBS 4
#define GUEST_IOTLB_VALUE 0xbadbeefu
#define MOCK_INVALIDATE_ALL 1u

static int iotlbs_are(struct vmm *vmm, const uint32_t want[MOCK_IOTLBS])
{
	for (uint32_t i = 0; i < MOCK_IOTLBS; i++)
		if (iommufd_test_check_iotlb(vmm->ctx, vmm->guest_iova, i, want[i]))
			return 0;
	return 1;
}

/* The guest flushes one IOTLB entry, then everything; each flush is one
 * array of vendor-format entries, and entry_num says how many the kernel
 * handled. */
static void guest_invalidations(struct vmm *vmm)
{
	const struct iommufd_selftest_invalidate one = { .flags = 0, .iotlb_id = 2 };
	const struct iommufd_selftest_invalidate all = { .flags = MOCK_INVALIDATE_ALL };
	const uint32_t after_one[MOCK_IOTLBS] = { GUEST_IOTLB_VALUE, GUEST_IOTLB_VALUE, 0,
						  GUEST_IOTLB_VALUE };
	const uint32_t after_all[MOCK_IOTLBS] = { 0 };
	uint32_t n = 1;
	int rc;

	rc = iommufd_hwpt_invalidate(vmm->ctx, vmm->guest_iova, IOMMUFD_INVALIDATE_DATA_SELFTEST,
				     &one, sizeof(one), &n);
	if (rc) {
		failed_call(vmm, "iommufd_hwpt_invalidate", rc);
		return;
	}
	check(vmm, n == 1 && iotlbs_are(vmm, after_one),
	      "guest flush of IOTLB entry 2 accepted (%u of 1 entries handled), the others kept",
	      n);
	n = 1;
	rc = iommufd_hwpt_invalidate(vmm->ctx, vmm->guest_iova, IOMMUFD_INVALIDATE_DATA_SELFTEST,
				     &all, sizeof(all), &n);
	if (rc) {
		failed_call(vmm, "iommufd_hwpt_invalidate", rc);
		return;
	}
	check(vmm, n == 1 && iotlbs_are(vmm, after_all),
	      "guest flush-all accepted (%u of 1 entries handled), every entry cleared", n);
}

int guest_iova_space(struct vmm *vmm)
{
	const uint32_t cached[MOCK_IOTLBS] = { GUEST_IOTLB_VALUE, GUEST_IOTLB_VALUE,
					       GUEST_IOTLB_VALUE, GUEST_IOTLB_VALUE };
	const struct iommufd_hwpt_selftest guest_table = { .iotlb = GUEST_IOTLB_VALUE };
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, parent_opts, .flags = IOMMUFD_HWPT_NEST_PARENT);
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, nested_opts, .data_type = IOMMUFD_HWPT_DATA_SELFTEST,
		     .data_len = sizeof(guest_table), .data = &guest_table);
	int rc;

	step("A guest IOVA space: nested HWPT on a nesting parent, with invalidations",
	     "BIND_PGTBL of the guest's IOVA table under the GPA IOASID, CACHE_INVLD");
	if (!feature(vmm, vmm->nic.dev_id, IOMMUFD_FEATURE_BIND_PGTBL) ||
	    !feature(vmm, vmm->nic.dev_id, IOMMUFD_FEATURE_CACHE_INVLD))
		return 0;
	/* Stage 2 (GPA -> HPA): the guest's RAM, as a nesting parent. */
	rc = iommufd_hwpt_alloc(vmm->ctx, vmm->nic.dev_id, vmm->gpa_ioas, &parent_opts,
				&vmm->s2_parent);
	if (rc)
		return failed_call(vmm, "iommufd_hwpt_alloc (NEST_PARENT)", rc);
	check(vmm, iommufd_test_check_map(vmm->ctx, vmm->s2_parent, GUEST_RAM_GPA,
					  GUEST_RAM_SIZE, vmm->ram) == 0,
	      "nesting parent HWPT %u translates GPA -> guest RAM", vmm->s2_parent);
	/* Stage 1 (guest IOVA -> GPA): the guest's own table, bound as is. */
	rc = iommufd_hwpt_alloc(vmm->ctx, vmm->nic.dev_id, vmm->s2_parent, &nested_opts,
				&vmm->guest_iova);
	if (rc)
		return failed_call(vmm, "iommufd_hwpt_alloc (nested)", rc);
	/* The guest turned on its vIOMMU for the nic: the nic moves onto it. */
	rc = iommufd_test_mock_domain_replace(vmm->ctx, vmm->nic.stdev_id, vmm->guest_iova, NULL);
	if (rc)
		return failed_call(vmm, "iommufd_test_mock_domain_replace", rc);
	vmm->nic.hwpt_id = vmm->guest_iova;
	say("nested HWPT %u (guest IOVA -> GPA) on parent %u; nic attached to it",
	    vmm->guest_iova, vmm->s2_parent);
	check(vmm, iotlbs_are(vmm, cached), "the guest's translations are cached (4 IOTLB "
	      "entries hold 0x%x)", GUEST_IOTLB_VALUE);
	guest_invalidations(vmm);
	return 0;
}
