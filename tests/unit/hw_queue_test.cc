// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_hw_queue_alloc() against the fake's mock vIOMMU: the range
// checks made before the kernel, the mock's index rules (0 first, then 1,
// which holds 0), the pinned range, and every errno with its sentence.
#include "viommu_test_support.h"

namespace {

using fake::Kver;

class HwQueue : public ViommuTest {
protected:
	void SetUp() override
	{
		ViommuTest::SetUp();
		viommu_ = Viommu();
		iova_ = QueuePage();
		fk_.ResetCounters();
	}
	int Alloc(uint32_t index, uint64_t iova, uint64_t length, uint32_t *id,
		  uint32_t type = kHwQueueSelftest)
	{
		return iommufd_hw_queue_alloc(ctx_, viommu_, type, index, iova, length, id);
	}
	std::string Of(uint32_t index)
	{
		return "IOMMU_HW_QUEUE_ALLOC of queue " + std::to_string(index) + " on vIOMMU " +
		       std::to_string(viommu_);
	}

	uint32_t viommu_ = 0;
	uint64_t iova_ = 0;
};

TEST_P(HwQueue, QueuesInIndexOrder)
{
	uint32_t q0 = 0, q1 = 0, id = 0;

	EXPECT_FAILS(ctx_, EIO,
		     Of(1) + " at IOVA 0x100000000 + 0x1000 failed (Input/output error): the IOMMU "
			     "takes queues in index order: the previous index has none",
		     Alloc(1, iova_, kPage, &id));
	ASSERT_EQ(0, Alloc(0, iova_, kPage, &q0)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(sizeof(uapi_hw_queue_alloc), fk_.last_size(UAPI_CMD_HW_QUEUE_ALLOC));
	EXPECT_EQ(0u, fake::VirtOf(fk_, q0).index);
	EXPECT_FAILS(ctx_, EEXIST,
		     Of(0) + " at IOVA 0x100000000 + 0x1000 failed (File exists): the vIOMMU has a "
			     "queue at this index already",
		     Alloc(0, iova_, kPage, &id));
	// Half a page, unaligned: the kernel pins the page around it.
	ASSERT_EQ(0, Alloc(1, iova_ + kPage / 2, kPage / 2, &q1)) << iommufd_ctx_last_error(ctx_);
	EXPECT_FAILS(ctx_, EINVAL,
		     Of(2) + " at IOVA 0x100000000 + 0x1000 failed (Invalid argument): the IOMMU "
			     "refused the index or the range",
		     Alloc(2, iova_, kPage, &id));
	// Queue 1 holds queue 0; each holds the vIOMMU.
	EXPECT_FAILS(ctx_, EBUSY, "IOMMU_DESTROY", iommufd_destroy(ctx_, q0));
	EXPECT_FAILS(ctx_, EBUSY, "IOMMU_DESTROY", iommufd_destroy(ctx_, viommu_));
	EXPECT_EQ(0, iommufd_destroy(ctx_, q1));
	EXPECT_EQ(0, iommufd_destroy(ctx_, q0));
	EXPECT_EQ(0, iommufd_destroy(ctx_, viommu_));
}

TEST_P(HwQueue, KernelErrnos)
{
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, ENOENT,
		     Of(0) + " at IOVA 0x200000000 + 0x1000 failed (No such file or directory): no "
			     "such vIOMMU, or the range is not mapped in the IOAS under its nesting "
			     "parent",
		     Alloc(0, 2ull << 32, kPage, &id));
	EXPECT_FAILS(ctx_, ENOENT, "IOMMU_HW_QUEUE_ALLOC of queue 0 on vIOMMU 77",
		     iommufd_hw_queue_alloc(ctx_, 77, kHwQueueSelftest, 0, iova_, kPage, &id));
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HW_QUEUE_ALLOC: vIOMMU " + std::to_string(viommu_) +
			     " does not offer HW queues of type TEGRA241_CMDQV",
		     Alloc(0, iova_, kPage, &id, IOMMUFD_HW_QUEUE_TYPE_TEGRA241_CMDQV));
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "HW queues of type DEFAULT (the kernel refuses DEFAULT: name the vendor's type)",
		     Alloc(0, iova_, kPage, &id, IOMMUFD_HW_QUEUE_TYPE_DEFAULT));
	EXPECT_FAILS(ctx_, EOPNOTSUPP, "HW queues of type 0x77",
		     Alloc(0, iova_, kPage, &id, 0x77));
	for (int err : {EFAULT, ERANGE, ENOMEM}) {
		fk_.FailIoctl(1, err);
		EXPECT_FAILS(ctx_, err, Of(0) + " at IOVA 0x100000000 + 0x1000 failed (" +
						strerror(err) + ")",
			     Alloc(0, iova_, kPage, &id));
	}
	EXPECT_TRUE(HasSentence(ctx_, "(Cannot allocate memory)")) << "no reason after ENOMEM";
	fk_.FailIoctl(1, EFAULT);
	EXPECT_FAILS(ctx_, EFAULT, "the range's pages are not physically contiguous",
		     Alloc(0, iova_, kPage, &id));
	EXPECT_EQ(0u, id);
}

TEST_P(HwQueue, RangeChecksBeforeTheKernel)
{
	uint32_t id = 0;

	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hw_queue_alloc: queue length is 0",
			Alloc(0, iova_, 0, &id));
	EXPECT_REJECTED(ctx_, EOVERFLOW,
			"iommufd_hw_queue_alloc: queue 0xffffffffffffffff + length 0x1000 wraps "
			"past the end of the 64-bit space",
			Alloc(0, ~0ull, kPage, &id));
	EXPECT_REJECTED(ctx_, EOVERFLOW, "wraps", Alloc(0, 1ull << 63, 1ull << 63 | 1, &id));
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_hw_queue_alloc: the context is NULL",
			iommufd_hw_queue_alloc(nullptr, viommu_, kHwQueueSelftest, 0, iova_, kPage,
					       &id));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hw_queue_alloc: hw_queue_id is NULL",
			Alloc(0, iova_, kPage, nullptr));
	EXPECT_EQ(0u, id);
	// The last byte of the 64-bit space is a valid end.
	EXPECT_FAILS(ctx_, ENOENT, "the range is not mapped",
		     Alloc(0, ~0ull - kPage + 1, kPage, &id));
}

INSTANTIATE_FOR_PROFILES(HwQueue, ProfilesSince(Kver(6, 17)));

} // namespace
