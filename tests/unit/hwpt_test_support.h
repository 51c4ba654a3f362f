// SPDX-License-Identifier: LGPL-2.1-or-later
// A fake-kernel fixture with an IOAS and a device whose IOMMU is modelled
// on the selftest mock, plus one helper per HWPT call.
#pragma once

#include "fake_hwpt.h"
#include "test_support.h"
#include "test_helpers.h"


class HwptTest : public ProfileTest {
protected:
	void SetUp() override
	{
		ProfileTest::SetUp();
		ioas_ = NewIoas();
		dev_ = fake::AddIommuDevice(fk_, iommu_);
		fk_.ResetCounters();
	}

	// A paging HWPT on the IOAS; asserts success.
	uint32_t Paging(uint32_t flags = 0)
	{
		iommufd_hwpt_alloc_opts o = AllocOpts(flags);
		uint32_t id = 0;
		EXPECT_EQ(0, iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id))
			<< iommufd_ctx_last_error(ctx_);
		return id;
	}

	// A nested HWPT on @parent with the mock's data; asserts success.
	uint32_t Nested(uint32_t parent, uint32_t iotlb, uint32_t fault_id = 0)
	{
		const iommufd_hwpt_selftest data = {iotlb};
		iommufd_hwpt_alloc_opts o = AllocOpts(0, fault_id, IOMMUFD_HWPT_DATA_SELFTEST,
						      sizeof(data), &data);
		uint32_t id = 0;
		EXPECT_EQ(0, iommufd_hwpt_alloc(ctx_, dev_, parent, &o, &id))
			<< iommufd_ctx_last_error(ctx_);
		return id;
	}

	// A fault queue (IOMMU_FAULT_QUEUE_ALLOC, 6.11); asserts success.
	uint32_t FaultQueue()
	{
		uapi_fault_alloc c = {};
		EXPECT_EQ(0, ifd_cmd(ctx_, UAPI_CMD_FAULT_QUEUE_ALLOC, &c))
			<< iommufd_ctx_last_error(ctx_);
		return c.out_fault_id;
	}

	fake::DevIommu iommu_;  // set before SetUp() to change the device
	uint32_t ioas_ = 0;
	uint32_t dev_ = 0;
};
