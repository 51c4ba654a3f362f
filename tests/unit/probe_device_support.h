// SPDX-License-Identifier: LGPL-2.1-or-later
// The device-level feature probe over the fake kernel: a device whose IOMMU
// a test describes (the mock by default, or a VT-d or SMMUv3 model), what
// the kernel holds around a probe, and the answers written out from the
// kernels' and drivers' behaviour rather than from the library's tables.
#pragma once

#include <libiommufd/probe.h>

#include <map>
#include <string>
#include <vector>

#include "fake_hwpt.h"
#include "test_support.h"
#include "test_helpers.h"

namespace probe_device {

using fake::Kver;

// The first release offering each feature (the host answer).
inline uint32_t HostRelease(uint32_t feature)
{
	switch (feature) {
	case IOMMUFD_FEATURE_BIND_PGTBL:
	case IOMMUFD_FEATURE_NEST_PARENT:
	case IOMMUFD_FEATURE_DIRTY_TRACKING:
		return Kver(6, 7);
	case IOMMUFD_FEATURE_CACHE_INVLD:
		return Kver(6, 8);
	case IOMMUFD_FEATURE_PAGE_REQUEST:
		return Kver(6, 11);
	case IOMMUFD_FEATURE_BIND_PASID_TABLE:
	case IOMMUFD_FEATURE_VIOMMU:
	case IOMMUFD_FEATURE_MAP_FILE:
		return Kver(6, 13);
	case IOMMUFD_FEATURE_CHANGE_PROCESS:
		return Kver(6, 14);
	case IOMMUFD_FEATURE_PASID:
	case IOMMUFD_FEATURE_SYSWIDE_PASID:
	case IOMMUFD_FEATURE_VEVENTQ:
		return Kver(6, 15);
	case IOMMUFD_FEATURE_HW_QUEUE:
		return Kver(6, 17);
	}
	return 0;
}

// An IOMMU modelled on Intel VT-d: ECAP.NEST (bit 26) and ECAP.PRS (bit 29)
// as given, scalable mode (ECAP.SMTS, bit 43) on.
inline fake::DevIommu Vtd(bool nest, bool prs)
{
	const uint64_t ecap = (1ull << 43) | (nest ? 1ull << 26 : 0) | (prs ? 1ull << 29 : 0);
	const uint32_t words[6] = {1u, 0u, 0u, 0u, static_cast<uint32_t>(ecap),
				   static_cast<uint32_t>(ecap >> 32)};
	fake::DevIommu m;

	m.hw_info_type = 1;
	m.hw_info.assign(reinterpret_cast<const uint8_t *>(words),
			 reinterpret_cast<const uint8_t *>(words) + sizeof(words));
	m.caps = 0;
	m.nesting = nest;
	m.nested_type = 1; // VTD_S1
	m.viommu_type = 0;
	m.hw_queue_type = 0;
	return m;
}

// An IOMMU modelled on ARM SMMUv3: S1P and S2P, the given IDR0 stall
// model, nesting through ARM_SMMUV3 vIOMMUs; @tegra: also a Tegra241 CMDQV.
inline fake::DevIommu Smmuv3(unsigned stall_model, bool tegra)
{
	uint32_t idr[10] = {};
	fake::DevIommu m;

	idr[2] = 3u | (stall_model << 24); // after flags and reserved
	m.hw_info_type = 2;
	m.hw_info.assign(reinterpret_cast<const uint8_t *>(idr),
			 reinterpret_cast<const uint8_t *>(idr) + sizeof(idr));
	m.nested_type = 2;      // ARM_SMMUV3
	m.viommu_type = 1;      // ARM_SMMUV3
	m.viommu_inv_type = 1;  // VIOMMU_ARM_SMMUV3
	m.hw_queue_type = 0;
	m.alt_info_type = tegra ? 3 : 0;
	return m;
}

// A device's answers, one per feature.

// What the mock device described by @m answers on release @kver.
inline Answer MockAnswer(uint32_t f, uint32_t kver, const fake::DevIommu &m)
{
	static const std::string no_nest =
		"IOMMU does not nest (NEST_PARENT refused: Operation not supported)";

	if (kver < HostRelease(f))
		return {false, "needs Linux ..."};
	switch (f) {
	case IOMMUFD_FEATURE_NEST_PARENT:
		if (!m.nesting)
			return {false, no_nest};
		return {true, "mock IOMMU: NEST_PARENT HWPT allocated"};
	case IOMMUFD_FEATURE_BIND_PGTBL:
		if (!m.nesting)
			return {false, no_nest};
		return {true, "mock IOMMU: nested SELFTEST HWPT allocated on a NEST_PARENT HWPT"};
	case IOMMUFD_FEATURE_CACHE_INVLD:
		if (!m.nesting)
			return {false, no_nest};
		return {true, "mock IOMMU: a nested SELFTEST HWPT handled an invalidation (1 of 1 "
			      "entries)"};
	case IOMMUFD_FEATURE_BIND_PASID_TABLE:
		if (!m.nesting)
			return {false, no_nest};
		return {true, "mock IOMMU: vIOMMU, vDEVICE and a nested SELFTEST HWPT (the guest's "
			      "PASID table) allocated"};
	case IOMMUFD_FEATURE_VIOMMU:
		if (!m.nesting)
			return {false, no_nest};
		return {true, "mock IOMMU: vIOMMU and vDEVICE allocated"};
	case IOMMUFD_FEATURE_VEVENTQ:
		if (!m.nesting)
			return {false, no_nest};
		return {true, "mock IOMMU: vEVENTQ allocated on a vIOMMU"};
	case IOMMUFD_FEATURE_HW_QUEUE:
		if (!m.nesting)
			return {false, no_nest};
		return {true, "mock IOMMU: HW queue allocated on a vIOMMU over a pinned page"};
	case IOMMUFD_FEATURE_PAGE_REQUEST:
		// Paging HWPTs take a fault queue from 6.15, nested ones from 6.11.
		if (kver >= Kver(6, 15))
			return {true, "mock IOMMU: fault queue + paging HWPT with fault_id allocated; "
				      "the mock raises page requests on demand"};
		if (!m.nesting)
			return {false, no_nest};
		return {true, "mock IOMMU: fault queue + nested HWPT with fault_id allocated; the "
			      "mock raises page requests on demand"};
	case IOMMUFD_FEATURE_PASID:
		if (!m.max_pasid_log2)
			return {false, "mock IOMMU: no PASID for this device (GET_HW_INFO "
				       "max_pasid_log2 0)"};
		return {true, "mock IOMMU: PASID width " + std::to_string(m.max_pasid_log2)};
	case IOMMUFD_FEATURE_SYSWIDE_PASID:
		if (!m.max_pasid_log2)
			return {false, "mock IOMMU: no PASID for this device (GET_HW_INFO "
				       "max_pasid_log2 0)"};
		return {true, "mock IOMMU: PASID width " + std::to_string(m.max_pasid_log2) +
				      "; the caller picks PASIDs, so one system-wide space fits"};
	case IOMMUFD_FEATURE_DIRTY_TRACKING:
		if (!(m.caps & 1))
			return {false, "IOMMU has no dirty tracking (GET_HW_INFO capabilities 0x0 "
				       "lack DIRTY_TRACKING)"};
		return {true, "mock IOMMU: GET_HW_INFO reports IOMMU_HW_CAP_DIRTY_TRACKING"};
	case IOMMUFD_FEATURE_MAP_FILE:
	case IOMMUFD_FEATURE_CHANGE_PROCESS:
		return {true, "a host feature, nothing device-specific: ok: ..."};
	}
	return {false, "?"};
}


// The IDs of the objects of the most recently opened iommufd.
inline std::vector<uint32_t> ObjectIds(fake::FakeKernel &fk)
{
	std::vector<uint32_t> ids;

	for (const auto &entry : fk.ictx().objects)
		ids.push_back(entry.first);
	return ids;
}

// The fake's open fds.
inline std::vector<int> OpenFds(const fake::FakeKernel &fk) { return fk.OpenFds(); }

// A fixture: a context on a fake kernel of the profile, and one device
// whose IOMMU iommu_ describes (set it before SetUp()).
class DeviceProbeTest : public ProfileTest {
protected:
	void SetUp() override
	{
		ProfileTest::SetUp();
		dev_ = fake::AddIommuDevice(fk_, iommu_);
		fk_.ResetCounters();
	}

	// Probe @f; asserts success.
	iommufd_feature_status Probe(uint32_t f, uint32_t dev = 0)
	{
		iommufd_feature_status st{};

		EXPECT_EQ(0, iommufd_probe_device_feature(ctx_, dev ? dev : dev_, f, &st))
			<< iommufd_feature_name(f) << ": " << iommufd_ctx_last_error(ctx_);
		return st;
	}

	std::vector<uint32_t> Objects() { return ObjectIds(fk_); }
	std::vector<int> OpenFds() const { return probe_device::OpenFds(fk_); }

	fake::DevIommu iommu_;
	uint32_t dev_ = 0;
};

} // namespace probe_device
