// SPDX-License-Identifier: LGPL-2.1-or-later
// A fake-kernel fixture for the vIOMMU calls: the HWPT fixture's IOAS and
// mock-like device plus a NEST_PARENT HWPT, and one helper per call.
#pragma once

#include "fake_viommu.h"
#include "hwpt_test_support.h"

inline constexpr uint32_t kViommuSelftest = IOMMUFD_VIOMMU_TYPE_SELFTEST;
inline constexpr uint32_t kHwQueueSelftest = IOMMUFD_HW_QUEUE_TYPE_SELFTEST;
inline constexpr uint32_t kViommuInv = IOMMUFD_INVALIDATE_DATA_SELFTEST;
inline constexpr uint32_t kViommuInvLen = sizeof(iommufd_viommu_selftest_invalidate);
inline constexpr uint32_t kCacheDefault = fake::kDevCacheDefault;
inline constexpr uint32_t kViommuAllocFirstSize = 24; // up to out_viommu_id (6.13)

class ViommuTest : public HwptTest {
protected:
	void SetUp() override
	{
		HwptTest::SetUp();
		parent_ = Paging(IOMMUFD_HWPT_NEST_PARENT);
		fk_.ResetCounters();
	}

	// A vIOMMU of the mock's type on the NEST_PARENT HWPT; asserts success.
	uint32_t Viommu(iommufd_viommu_selftest *data = nullptr)
	{
		const iommufd_viommu_alloc_opts o =
			ViommuOpts(data, data ? sizeof(*data) : 0);
		uint32_t id = 0;

		EXPECT_EQ(0, iommufd_viommu_alloc(ctx_, dev_, parent_, kViommuSelftest, &o, &id))
			<< iommufd_ctx_last_error(ctx_);
		return id;
	}

	// A vDEVICE of @dev (default: the fixture's); asserts success.
	uint32_t Vdevice(uint32_t viommu, uint64_t virt_id, uint32_t dev = 0)
	{
		uint32_t id = 0;

		EXPECT_EQ(0, iommufd_vdevice_alloc(ctx_, viommu, dev ? dev : dev_, virt_id, &id))
			<< iommufd_ctx_last_error(ctx_);
		return id;
	}

	// A page of guest memory mapped in the IOAS under the NEST_PARENT HWPT.
	uint64_t QueuePage(uint64_t iova = 1ull << 32) { return MapFixed(ioas_, iova, kPage); }

	uint32_t parent_ = 0;
};
