/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* IOMMU_GET_HW_INFO: what the IOMMU behind a device is and can do. */
#ifndef LIBIOMMUFD_HW_INFO_H
#define LIBIOMMUFD_HW_INFO_H

#include <libiommufd/ctx.h>

LIBIOMMUFD_BEGIN_DECLS

enum iommufd_hw_info_type {
	IOMMUFD_HW_INFO_NONE = 0,
	IOMMUFD_HW_INFO_INTEL_VTD = 1,
	IOMMUFD_HW_INFO_ARM_SMMUV3 = 2,
	IOMMUFD_HW_INFO_TEGRA241_CMDQV = 3,
	IOMMUFD_HW_INFO_AMD = 4,
	IOMMUFD_HW_INFO_SELFTEST = 0xfeedbeef,
};

/* Bits of struct iommufd_hw_info::capabilities. */
enum iommufd_hw_cap {
	IOMMUFD_HW_CAP_DIRTY_TRACKING = 1u << 0,
	IOMMUFD_HW_CAP_PCI_PASID_EXEC = 1u << 1,
	IOMMUFD_HW_CAP_PCI_PASID_PRIV = 1u << 2,
	IOMMUFD_HW_CAP_PCI_ATS_NOT_SUPPORTED = 1u << 3,
};

struct iommufd_hw_info_vtd {
	uint32_t flags;
	uint32_t reserved;
	uint64_t cap_reg;
	uint64_t ecap_reg;
};

struct iommufd_hw_info_arm_smmuv3 {
	uint32_t flags;
	uint32_t reserved;
	uint32_t idr[6];
	uint32_t iidr;
	uint32_t aidr;
};

struct iommufd_hw_info_selftest {
	uint32_t flags;
	uint32_t test_reg;
};

#define IOMMUFD_HW_INFO_MAX_DATA 256

/*
 * struct iommufd_hw_info - decoded IOMMU_GET_HW_INFO.
 * @type:                    enum iommufd_hw_info_type: which member of the
 *                           union below holds the vendor data.
 * @data_len:                bytes of vendor data the kernel has; @raw holds
 *                           the first IOMMUFD_HW_INFO_MAX_DATA of them.
 * @capabilities:            enum iommufd_hw_cap bits.
 * @capabilities_known:      0 when the kernel predates the field (6.6):
 *                           then @capabilities means nothing, not "none".
 * @max_pasid_log2:          PASID width; 0 = no PASID.
 * @max_pasid_log2_known:    0 when the kernel predates the field: then
 *                           @max_pasid_log2 means nothing, not "no PASID".
 * @vtd, @smmuv3, @selftest: the vendor data, by @type.
 * @raw:                     the vendor data as bytes, for any type.
 */
struct iommufd_hw_info {
	uint32_t type;
	uint32_t data_len;
	uint64_t capabilities;
	uint32_t capabilities_known;
	uint32_t max_pasid_log2;
	uint32_t max_pasid_log2_known;
	uint32_t reserved;
	union {
		struct iommufd_hw_info_vtd vtd;
		struct iommufd_hw_info_arm_smmuv3 smmuv3;
		struct iommufd_hw_info_selftest selftest;
		uint8_t raw[IOMMUFD_HW_INFO_MAX_DATA];
	};
};

/*
 * iommufd_get_hw_info - what the IOMMU behind bound device @dev_id is and
 * can do (IOMMU_GET_HW_INFO).
 * @info: receives the answer; every byte is written.
 *
 * Whether the kernel knows a field is asked of the ABI probe (a few
 * side-effect-free ioctls, once per context) when the answer is 0.
 *
 * Return: 0, or a negative errno: -ENOENT (no device @dev_id in @ctx),
 * -EINVAL (NULL @info), -EOPNOTSUPP ("needs Linux 6.6"; or the IOMMU
 * driver failed to describe itself), -EFAULT.  Linux 6.6; capabilities
 * 6.7; max_pasid_log2 6.12 (as Debian ships it).
 */
LIBIOMMUFD_API int iommufd_get_hw_info(struct iommufd_ctx *ctx, uint32_t dev_id,
				       struct iommufd_hw_info *info);

LIBIOMMUFD_END_DECLS

#endif
