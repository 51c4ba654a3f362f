// SPDX-License-Identifier: LGPL-2.1-or-later
// A kernel-test fixture for HW page tables: an IOAS with a mock device
// attached, and one helper per HWPT call.
#pragma once

#include "kernel_test.h"
#include "test_helpers.h"

// IOMMU_TEST_IOTLB_DEFAULT of the kernel's iommufd_test.h: the value the
// selftests give a nested mock HWPT's IOTLB entries.
inline constexpr uint32_t kIotlbDefault = 0xbadbeef;
inline constexpr uint32_t kMockIotlbs = 4; // MOCK_NESTED_DOMAIN_IOTLB_NUM


class HwptKernelTest : public KernelTest {
protected:
	void SetUp() override
	{
		KernelTest::SetUp();
		if (HasFatalFailure())
			return;
		ioas_ = NewIoas();
		dev_ = AddMockDev(ioas_);
	}

	// A paging HWPT on @pt for @dev (default: the fixture's); asserts success.
	uint32_t Paging(uint32_t flags = 0, uint32_t dev = 0)
	{
		const iommufd_hwpt_alloc_opts o = AllocOpts(flags);
		uint32_t id = 0;

		EXPECT_OK(iommufd_hwpt_alloc(ctx_, dev ? dev : dev_.dev_id, ioas_, &o, &id));
		return id;
	}

	// A nested HWPT on @parent with the mock's data; asserts success.
	uint32_t Nested(uint32_t parent, uint32_t iotlb = kIotlbDefault, uint32_t flags = 0,
			uint32_t dev = 0)
	{
		const iommufd_hwpt_selftest data = {iotlb};
		const iommufd_hwpt_alloc_opts o =
			AllocOpts(flags, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
		uint32_t id = 0;

		EXPECT_OK(iommufd_hwpt_alloc(ctx_, dev ? dev : dev_.dev_id, parent, &o, &id));
		return id;
	}

	// The mock's IOTLB entry @i of nested HWPT @id holds @v.
	::testing::AssertionResult Iotlb(uint32_t id, uint32_t i, uint32_t v)
	{
		const int rc = iommufd_test_check_iotlb(ctx_, id, i, v);

		if (!rc)
			return ::testing::AssertionSuccess();
		return ::testing::AssertionFailure()
		       << "IOTLB " << i << " of HWPT " << id << " is not 0x" << std::hex << v
		       << ": " << iommufd_ctx_last_error(ctx_);
	}

	uint32_t ioas_ = 0;
	MockDev dev_;
};
