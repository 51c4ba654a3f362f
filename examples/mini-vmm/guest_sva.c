// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Step 3: a guest SVA space through a PASID.
 *
 * The /dev/ioasid proposal's SVA scenario: a guest process shares its page
 * table with a device; the guest tags that device's DMA with a PASID, and
 * the VMM attaches the guest's process table at that PASID, nested on the
 * GPA IOASID, while DMA without a PASID keeps using the RID's space.
 * Today: a nested HWPT allocated with IOMMUFD_HWPT_PASID on the nesting
 * parent, attached at the PASID (VFIO_DEVICE_ATTACH_IOMMUFD_PT with the
 * PASID flag: iommufd_device_pasid_attach(); here the mock's equivalent),
 * with the device's RID on a PASID-compatible HWPT.  Linux 6.15 brought
 * PASID attach; the probe says so on older kernels and the step is skipped.
 */
#include <string.h>

#include "vmm.h"

#define GUEST_PASID 100u /* the PASID the guest's driver picked */

static int attach_gpu(struct vmm *vmm, struct vmm_device *gpu, uint32_t *rid_hwpt)
{
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, pasid_ok, .flags = IOMMUFD_HWPT_PASID);
	int rc = iommufd_test_mock_domain(vmm->ctx, vmm->gpa_ioas, IOMMUFD_TEST_DEVICE_PASID,
					  &gpu->stdev_id, &gpu->hwpt_id, &gpu->dev_id);

	if (rc)
		return failed_call(vmm, "iommufd_test_mock_domain (PASID-capable)", rc);
	say("device gpu  : iommufd device %u (PASID capable) attached to IOAS %u",
	    gpu->dev_id, vmm->gpa_ioas);
	/* With PASIDs in use the RID must sit on a PASID-compatible HWPT. */
	rc = iommufd_hwpt_alloc(vmm->ctx, gpu->dev_id, vmm->gpa_ioas, &pasid_ok, rid_hwpt);
	if (rc)
		return failed_call(vmm, "iommufd_hwpt_alloc (PASID)", rc);
	rc = iommufd_test_mock_domain_replace(vmm->ctx, gpu->stdev_id, *rid_hwpt, NULL);
	if (rc)
		return failed_call(vmm, "iommufd_test_mock_domain_replace", rc);
	return 0;
}

int guest_sva_space(struct vmm *vmm)
{
	const struct iommufd_hwpt_selftest process_table = { .iotlb = 0 };
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, sva_opts, .flags = IOMMUFD_HWPT_PASID,
		     .data_type = IOMMUFD_HWPT_DATA_SELFTEST, .data_len = sizeof(process_table),
		     .data = &process_table);
	struct vmm_device gpu = { 0 };
	uint32_t rid_hwpt = 0, sva = 0;
	int rc;

	step("A guest SVA space via PASID attach",
	     "bind a guest process's page table at a PASID, nested on the GPA IOASID");
	if (!vmm->s2_parent) {
		skip(vmm, "no nesting parent (step 2 did not run)");
		return 0;
	}
	if (!feature(vmm, 0, IOMMUFD_FEATURE_PASID))
		return 0;
	if (iommufd_test_op_supported(vmm->ctx, IOMMUFD_TEST_OP_PASID_ATTACH) != 1) {
		skip(vmm, "this kernel's selftest mock has no PASID attach");
		return 0;
	}
	if (attach_gpu(vmm, &gpu, &rid_hwpt))
		return -1;
	if (!feature(vmm, gpu.dev_id, IOMMUFD_FEATURE_PASID))
		return 0;
	rc = iommufd_hwpt_alloc(vmm->ctx, gpu.dev_id, vmm->s2_parent, &sva_opts, &sva);
	if (rc)
		return failed_call(vmm, "iommufd_hwpt_alloc (nested, PASID)", rc);
	rc = iommufd_test_pasid_attach(vmm->ctx, gpu.stdev_id, GUEST_PASID, sva);
	if (rc)
		return failed_call(vmm, "iommufd_test_pasid_attach", rc);
	say("nested HWPT %u (guest process VA -> GPA) attached at PASID %u of gpu", sva,
	    GUEST_PASID);
	check(vmm, iommufd_test_pasid_check_hwpt(vmm->ctx, gpu.stdev_id, GUEST_PASID, sva) == 0,
	      "the IOMMU resolves gpu's PASID %u to the SVA HWPT %u", GUEST_PASID, sva);
	check(vmm, iommufd_test_check_map(vmm->ctx, rid_hwpt, GUEST_RAM_GPA, GUEST_RAM_SIZE,
					  vmm->ram) == 0,
	      "gpu's DMA without a PASID still sees guest RAM at GPA (HWPT %u)", rid_hwpt);
	/* The guest process exits: its PASID is detached, nothing resolves. */
	rc = iommufd_test_pasid_detach(vmm->ctx, gpu.stdev_id, GUEST_PASID);
	if (rc)
		return failed_call(vmm, "iommufd_test_pasid_detach", rc);
	check(vmm, iommufd_test_pasid_check_hwpt(vmm->ctx, gpu.stdev_id, GUEST_PASID, 0) == 0,
	      "after the guest process exits PASID %u resolves to nothing", GUEST_PASID);
	check(vmm, iommufd_destroy(vmm->ctx, sva) == 0, "its HWPT %u is free to destroy", sva);
	return 0;
}
