// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's IOMMU_GET_HW_INFO (device.c): the vendor data copied
// up to the caller's buffer and zero-filled beyond, data_len set to what
// the driver has, capabilities (6.7) and the PASID width (6.12).
#include "fake_hwpt.h"
#include "fake_kernel_cmds.h"

namespace fake {
namespace {

const DevIommu kDefaultIommu{};

std::vector<uint8_t> VendorData(const DevIommu &iommu)
{
	if (!iommu.hw_info.empty() || iommu.hw_info_type != kSelftestHwInfo)
		return iommu.hw_info;
	// The mock's struct iommu_test_hw_info: flags, then test_reg.
	std::vector<uint8_t> data(8, 0);
	std::memcpy(data.data() + 4, &kSelftestRegval, sizeof(kSelftestRegval));
	return data;
}

} // namespace

int GetHwInfo(Ucmd &u)
{
	auto c = u.Get<uapi_hw_info>();
	const uint32_t kver = u.fk.kver();
	const uint32_t flags_known = kver >= Kver(6, 16) ? UAPI_HW_INFO_FLAG_INPUT_TYPE : 0;
	// Before 6.12 out_max_pasid_log2 was part of a u32 __reserved.
	const bool reserved_set = c.reserved[0] || c.reserved[1] || c.reserved[2] ||
				  (kver < Kver(6, 12) && c.out_max_pasid_log2);

	if ((c.flags & ~flags_known) || reserved_set)
		return -EOPNOTSUPP;
	auto dev = u.ictx.objects.find(c.dev_id);
	if (dev == u.ictx.objects.end() || dev->second.type != ObjType::kDevice)
		return -ENOENT;
	const DevIommu &iommu = dev->second.iommu ? *dev->second.iommu : kDefaultIommu;
	if (iommu.hw_info_fails)
		return -EOPNOTSUPP;
	// A type asked for (6.16): the driver's own, or one it also answers for.
	const bool asked = c.flags & UAPI_HW_INFO_FLAG_INPUT_TYPE;
	if (asked && c.data_type && c.data_type != iommu.hw_info_type &&
	    (!iommu.alt_info_type || c.data_type != iommu.alt_info_type))
		return -EOPNOTSUPP;
	const bool alt = asked && c.data_type && c.data_type == iommu.alt_info_type;
	const std::vector<uint8_t> data = alt ? std::vector<uint8_t>{} : VendorData(iommu);
	auto *out = reinterpret_cast<uint8_t *>(static_cast<uintptr_t>(c.data_uptr));
	const uint32_t copy = std::min<uint32_t>(c.data_len, static_cast<uint32_t>(data.size()));
	if (c.data_len && !out)
		return -EFAULT;
	if (copy)
		std::memcpy(out, data.data(), copy);
	if (c.data_len > copy)
		std::memset(out + copy, 0, c.data_len - copy);
	c.data_len = static_cast<uint32_t>(data.size());
	c.data_type = alt ? iommu.alt_info_type : iommu.hw_info_type;
	c.out_capabilities = kver >= Kver(6, 7) ? iommu.caps : 0;
	c.out_max_pasid_log2 = kver >= Kver(6, 12) ? iommu.max_pasid_log2 : 0;
	return u.Respond(c);
}

} // namespace fake
