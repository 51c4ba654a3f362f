/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * IOMMU_GET_HW_INFO, decoded.  An output field a kernel does not know reads
 * back as the zero we sent, which would look like "no capabilities" or
 * "no PASID"; so a zero is checked against the ABI probe and reported as
 * unknown when the kernel predates the field.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <libiommufd/hw_info.h>

#include "private.h"

_Static_assert(IOMMUFD_HW_INFO_INTEL_VTD == UAPI_HW_INFO_TYPE_INTEL_VTD, "type");
_Static_assert(IOMMUFD_HW_INFO_ARM_SMMUV3 == UAPI_HW_INFO_TYPE_ARM_SMMUV3, "type");
_Static_assert(IOMMUFD_HW_INFO_TEGRA241_CMDQV == UAPI_HW_INFO_TYPE_TEGRA241_CMDQV, "type");
_Static_assert(IOMMUFD_HW_INFO_AMD == UAPI_HW_INFO_TYPE_AMD, "type");
_Static_assert(IOMMUFD_HW_INFO_SELFTEST == UAPI_HW_INFO_TYPE_SELFTEST, "type");
_Static_assert(IOMMUFD_HW_CAP_DIRTY_TRACKING == UAPI_HW_CAP_DIRTY_TRACKING, "cap");
_Static_assert(IOMMUFD_HW_CAP_PCI_PASID_EXEC == UAPI_HW_CAP_PCI_PASID_EXEC, "cap");
_Static_assert(IOMMUFD_HW_CAP_PCI_PASID_PRIV == UAPI_HW_CAP_PCI_PASID_PRIV, "cap");
_Static_assert(IOMMUFD_HW_CAP_PCI_ATS_NOT_SUPPORTED == UAPI_HW_CAP_PCI_ATS_NOT_SUPPORTED, "cap");
_Static_assert(sizeof(struct iommufd_hw_info_vtd) == sizeof(struct uapi_hw_info_vtd), "vtd");
_Static_assert(sizeof(struct iommufd_hw_info_arm_smmuv3) == sizeof(struct uapi_hw_info_arm_smmuv3),
	       "smmuv3");

/* 1 when the kernel knows output field @name of GET_HW_INFO, else 0. */
static uint32_t field_known(struct iommufd_ctx *ctx, const char *name)
{
	int index = iommufd_cmd_find_field(UAPI_CMD_GET_HW_INFO, name);

	return index >= 0 && iommufd_probe_field(ctx, UAPI_CMD_GET_HW_INFO, (uint32_t)index) > 0;
}

static int explain(struct iommufd_ctx *ctx, int rc, uint32_t dev_id)
{
	if (rc == -ENOENT)
		return ifd_fail(ctx, ENOENT, "IOMMU_GET_HW_INFO: device %" PRIu32 " is not bound "
				"to this context", dev_id);
	if (rc == -EOPNOTSUPP)
		return ifd_fail(ctx, EOPNOTSUPP, "IOMMU_GET_HW_INFO: the IOMMU driver of device %"
				PRIu32 " could not describe it", dev_id);
	return ifd_fail(ctx, -rc, "IOMMU_GET_HW_INFO of device %" PRIu32 " failed: %s", dev_id,
			strerror(-rc));
}

int iommufd_get_hw_info(struct iommufd_ctx *ctx, uint32_t dev_id, struct iommufd_hw_info *info)
{
	static const char fn[] = "iommufd_get_hw_info";
	bool ran = false;
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, info, fn, "info");
	if (rc)
		return rc;
	memset(info, 0, sizeof(*info));
	struct uapi_hw_info cmd = {
		.dev_id = dev_id,
		.data_len = sizeof(info->raw),
		.data_uptr = (uintptr_t)info->raw,
	};
	rc = ifd_cmd_ran(ctx, UAPI_CMD_GET_HW_INFO, &cmd, &ran);
	if (rc) {
		memset(info, 0, sizeof(*info));
		return ran ? explain(ctx, rc, dev_id) : rc;
	}
	info->type = cmd.data_type;
	info->data_len = cmd.data_len;
	info->capabilities = cmd.out_capabilities;
	info->capabilities_known = cmd.out_capabilities || field_known(ctx, "out_capabilities");
	info->max_pasid_log2 = cmd.out_max_pasid_log2;
	info->max_pasid_log2_known =
		cmd.out_max_pasid_log2 || field_known(ctx, "out_max_pasid_log2");
	return 0;
}
