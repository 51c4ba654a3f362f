// SPDX-License-Identifier: LGPL-2.1-or-later
// A kernel-test fixture for vEVENTQs (Linux 6.15): a mock device with a
// vIOMMU, a vDEVICE (virt_id kVirtId) and a nested HWPT on the vIOMMU --
// the setup under which the mock reports events (IOMMU_TEST_OP_TRIGGER_VEVENT).
#pragma once

#include <vector>

#include <libiommufd/veventq.h>
#include <libiommufd/viommu.h>

#include "fault_kernel.h"

inline constexpr uint32_t kVirtId = 0x99;

class VeventqKernelTest : public HwptKernelTest {
protected:
	void SetUp() override
	{
		HwptKernelTest::SetUp();
		if (HasFatalFailure())
			return;
		if (!KernelAtLeast(6, 15))
			GTEST_SKIP() << "vEVENTQs need Linux 6.15 (VeventqAbsentKernelTest checks "
					"the refusal here)";
		parent_ = Paging(IOMMUFD_HWPT_NEST_PARENT);
		ASSERT_OK(iommufd_viommu_alloc(ctx_, dev_.dev_id, parent_,
					       IOMMUFD_VIOMMU_TYPE_SELFTEST, nullptr, &viommu_));
		ASSERT_OK(iommufd_vdevice_alloc(ctx_, viommu_, dev_.dev_id, kVirtId, &vdev_));
		nested_ = Nested(viommu_);
		ASSERT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, nested_, nullptr));
	}

	void TearDown() override
	{
		for (iommufd_veventq *q : queues_)
			EXPECT_OK(iommufd_veventq_close(q));
		HwptKernelTest::TearDown();
	}

	// A SELFTEST vEVENTQ of @depth on the fixture's vIOMMU, closed at the end.
	iommufd_veventq *NewQueue(uint32_t depth)
	{
		iommufd_veventq *q = nullptr;

		EXPECT_OK(iommufd_veventq_alloc(ctx_, viommu_, IOMMUFD_VEVENTQ_TYPE_SELFTEST, depth,
						nullptr, &q));
		if (q)
			queues_.push_back(q);
		return q;
	}

	// Closes @q before the end of the test.
	void CloseQueue(iommufd_veventq *q)
	{
		std::erase(queues_, q);
		EXPECT_OK(iommufd_veventq_close(q));
	}

	// The mock device reports @n events.
	void TriggerEvents(uint32_t n)
	{
		for (uint32_t i = 0; i < n; i++)
			ASSERT_OK(iommufd_test_trigger_vevent(ctx_, dev_.dev_id));
	}

	// Reads what waits, at most @max events in one call.
	std::vector<iommufd_vevent> Read(iommufd_veventq *q, size_t max = 64)
	{
		std::vector<iommufd_vevent> e(max);
		const ssize_t n = iommufd_veventq_read(q, e.data(), max);

		EXPECT_GE(n, 0) << iommufd_ctx_last_error(ctx_);
		e.resize(n > 0 ? static_cast<size_t>(n) : 0);
		return e;
	}

	// The virt_id a SELFTEST event carries.
	static uint32_t VirtId(const iommufd_vevent &e)
	{
		iommufd_vevent_selftest s = {};

		memcpy(&s, e.data, sizeof(s));
		return s.virt_id;
	}

	uint32_t parent_ = 0;
	uint32_t viommu_ = 0;
	uint32_t vdev_ = 0;
	uint32_t nested_ = 0;
	std::vector<iommufd_veventq *> queues_;
};
