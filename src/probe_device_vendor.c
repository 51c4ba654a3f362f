/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the device probe knows of each kind of IOMMU: the types of its
 * nested HWPTs, vIOMMUs, event queues and invalidation entries, a harmless
 * payload for each (nothing is ever attached, so nothing is walked), and
 * how its HW info tells nesting and page-request support.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libiommufd/hwpt.h>

#include "probe_device.h"

/* Intel VT-d ECAP bits (VT-d spec, 11.4.3). */
#define VTD_ECAP_NEST (1ull << 26)
#define VTD_ECAP_PRS (1ull << 29)
#define VTD_ECAP_SMTS (1ull << 43)
/* ARM SMMUv3 IDR0 fields (SMMUv3 spec, 6.3.1). */
#define SMMU_IDR0_S2P (1u << 0)
#define SMMU_IDR0_S1P (1u << 1)
#define SMMU_IDR0_STALL_SHIFT 24
#define SMMU_IDR0_STALL_TERMINATE 1 /* stall model 0b01: no stalls */
/* AMD IOMMU EFR: peripheral page requests. */
#define AMD_EFR_PPR (1ull << 1)

/* A stage-1 description that no walk will ever read. */
static const struct iommufd_hwpt_selftest mock_s1 = { .iotlb = 0 };
static const struct iommufd_hwpt_vtd_s1 vtd_s1 = { .addr_width = 48 };
/* An STE with V clear: the kernel takes it as "abort". */
static const struct iommufd_hwpt_arm_smmuv3 smmu_ste = { { 0, 0 } };

static const struct iommufd_selftest_invalidate mock_inv_all = { .flags = 1 };
static const struct iommufd_vtd_s1_invalidate vtd_inv_all = { .addr = 0, .npages = UINT64_MAX };

static void vtd_nest_note(const struct iommufd_hw_info *info, char *buf, size_t len)
{
	const uint64_t ecap = info->vtd.ecap_reg;

	if (!(ecap & VTD_ECAP_NEST))
		snprintf(buf, len, "no nested translation (ECAP.NEST clear)");
	else if (!(ecap & VTD_ECAP_SMTS))
		snprintf(buf, len, "no scalable mode (ECAP.SMTS clear)");
	else
		snprintf(buf, len, "ECAP.NEST set, scalable mode off? (intel_iommu=sm_on)");
}

static int vtd_page_requests(const struct iommufd_hw_info *info, char *buf, size_t len)
{
	const bool prs = info->vtd.ecap_reg & VTD_ECAP_PRS;

	snprintf(buf, len, prs ? "ECAP.PRS set; the device's PRI is checked at attach"
			       : "no page requests (ECAP.PRS clear)");
	return prs;
}

static void smmu_nest_note(const struct iommufd_hw_info *info, char *buf, size_t len)
{
	const uint32_t idr0 = info->smmuv3.idr[0];

	if ((idr0 & (SMMU_IDR0_S1P | SMMU_IDR0_S2P)) != (SMMU_IDR0_S1P | SMMU_IDR0_S2P))
		snprintf(buf, len, "no nesting (IDR0 lacks S1P or S2P)");
	else
		snprintf(buf, len, "IDR0 has S1P and S2P; the driver refused nesting");
}

static int smmu_page_requests(const struct iommufd_hw_info *info, char *buf, size_t len)
{
	const unsigned int model = (info->smmuv3.idr[0] >> SMMU_IDR0_STALL_SHIFT) & 3;
	const bool stalls = model != SMMU_IDR0_STALL_TERMINATE;

	snprintf(buf, len, stalls ? "IDR0 stall model %u allows stalls; the device must be able "
				    "to stall (checked at attach)"
				  : "no stalls (IDR0 stall model %u; Linux takes no PRI faults)",
		 model);
	return stalls;
}

static int mock_page_requests(const struct iommufd_hw_info *info, char *buf, size_t len)
{
	(void)info;
	snprintf(buf, len, "the mock raises page requests on demand");
	return 1;
}

static int amd_page_requests(const struct iommufd_hw_info *info, char *buf, size_t len)
{
	uint64_t efr;
	bool ppr;

	memcpy(&efr, info->raw, sizeof(efr)); /* struct iommu_hw_info_amd.efr */
	ppr = efr & AMD_EFR_PPR;
	snprintf(buf, len, ppr ? "EFR.PPRSup set" : "no page requests (EFR.PPRSup clear)");
	return ppr;
}

static const struct pd_vendor vendors[] = {
	{
		.hw_info_type = IOMMUFD_HW_INFO_SELFTEST,
		.name = "mock IOMMU",
		.nested_type = IOMMUFD_HWPT_DATA_SELFTEST,
		.nested_name = "SELFTEST",
		.nested_data = &mock_s1,
		.nested_len = sizeof(mock_s1),
		.viommu_type = UAPI_VIOMMU_TYPE_SELFTEST,
		.veventq_type = UAPI_VEVENTQ_TYPE_SELFTEST,
		.inv_type = IOMMUFD_INVALIDATE_DATA_SELFTEST,
		.inv_entry = &mock_inv_all,
		.inv_len = sizeof(mock_inv_all),
		.user_pasid_table = true,
		.hw_queue_type = UAPI_HW_QUEUE_TYPE_SELFTEST,
		.page_requests = mock_page_requests,
	},
	{
		.hw_info_type = IOMMUFD_HW_INFO_INTEL_VTD,
		.name = "VT-d",
		.nested_type = IOMMUFD_HWPT_DATA_VTD_S1,
		.nested_name = "VTD_S1",
		.nested_data = &vtd_s1,
		.nested_len = sizeof(vtd_s1),
		.inv_type = IOMMUFD_INVALIDATE_DATA_VTD_S1,
		.inv_entry = &vtd_inv_all,
		.inv_len = sizeof(vtd_inv_all),
		.no_pasid_table = "nests per PASID entry: the host keeps the PASID table",
		.nest_note = vtd_nest_note,
		.page_requests = vtd_page_requests,
	},
	{
		.hw_info_type = IOMMUFD_HW_INFO_ARM_SMMUV3,
		.name = "SMMUv3",
		.nested_type = IOMMUFD_HWPT_DATA_ARM_SMMUV3,
		.nested_name = "ARM_SMMUV3",
		.nested_data = &smmu_ste,
		.nested_len = sizeof(smmu_ste),
		.nested_via_viommu = true,
		.viommu_type = UAPI_VIOMMU_TYPE_ARM_SMMUV3,
		.veventq_type = UAPI_VEVENTQ_TYPE_ARM_SMMUV3,
		.inv_type = IOMMUFD_INVALIDATE_DATA_VIOMMU_ARM_SMMUV3,
		.user_pasid_table = true,
		.hw_queue_info_type = IOMMUFD_HW_INFO_TEGRA241_CMDQV,
		.nest_note = smmu_nest_note,
		.page_requests = smmu_page_requests,
	},
	{
		.hw_info_type = IOMMUFD_HW_INFO_AMD,
		.name = "AMD IOMMU",
		.unprobed = "nesting not probed: its nested HWPTs need an AMD vIOMMU type, "
			    "which the uAPI this library knows lacks",
		.page_requests = amd_page_requests,
	},
};

static const struct pd_vendor unknown = { .name = NULL };

const struct pd_vendor *pd_vendor_of(const struct iommufd_hw_info *info)
{
	for (size_t i = 0; i < IFD_ARRAY_SIZE(vendors); i++)
		if (vendors[i].hw_info_type == info->type)
			return &vendors[i];
	return &unknown;
}
