/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The vendor data of IOMMU_GET_HW_INFO as named registers, for the types
 * struct iommufd_hw_info decodes (VT-d, SMMUv3, the selftest); other
 * types are shown as raw bytes only.
 */
#include "info.h"

#define REG(n, v, b) ((struct info_vendor_reg){ (n), (v), (b) })

size_t info_vendor_regs(const struct iommufd_hw_info *hw, struct info_vendor_reg *regs,
			size_t max)
{
	static const char *const idr[] = { "idr0", "idr1", "idr2", "idr3", "idr4", "idr5" };
	struct info_vendor_reg r[INFO_MAX_VENDOR_REGS];
	size_t n = 0;

	switch (hw->type) {
	case IOMMUFD_HW_INFO_INTEL_VTD:
		r[n++] = REG("flags", hw->vtd.flags, 32);
		r[n++] = REG("cap_reg", hw->vtd.cap_reg, 64);
		r[n++] = REG("ecap_reg", hw->vtd.ecap_reg, 64);
		break;
	case IOMMUFD_HW_INFO_ARM_SMMUV3:
		r[n++] = REG("flags", hw->smmuv3.flags, 32);
		for (size_t i = 0; i < 6; i++)
			r[n++] = REG(idr[i], hw->smmuv3.idr[i], 32);
		r[n++] = REG("iidr", hw->smmuv3.iidr, 32);
		r[n++] = REG("aidr", hw->smmuv3.aidr, 32);
		break;
	case IOMMUFD_HW_INFO_SELFTEST:
		r[n++] = REG("flags", hw->selftest.flags, 32);
		r[n++] = REG("test_reg", hw->selftest.test_reg, 32);
		break;
	}
	for (size_t i = 0; i < n && i < max; i++)
		regs[i] = r[i];
	return n < max ? n : max;
}

int info_vendor_raw_hex(const struct iommufd_hw_info *hw, char *buf, size_t len)
{
	size_t bytes = hw->data_len < IOMMUFD_HW_INFO_MAX_DATA ? hw->data_len
							       : IOMMUFD_HW_INFO_MAX_DATA;

	if (len < 2 * bytes + 1)
		return -1;
	for (size_t i = 0; i < bytes; i++)
		snprintf(buf + 2 * i, 3, "%02x", hw->raw[i]);
	buf[2 * bytes] = '\0';
	return 0;
}
