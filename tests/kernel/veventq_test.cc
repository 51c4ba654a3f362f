// SPDX-License-Identifier: LGPL-2.1-or-later
// vEVENTQs on the real kernel: the mock's events read through the SDK, with
// their sequence numbers followed and an overflowed queue's losses counted
// exactly -- modelled on the kernel selftest's vdevice_alloc test.  On
// 6.12, which has no vEVENTQ, the refusal and the probe's answer.
#include "veventq_kernel.h"

#include <cstring>
#include <numeric>

#include <libiommufd/probe.h>

namespace {

constexpr uint32_t kMaxDepth = 1u << 19; // the kernel's VEVENTQ_MAX_DEPTH

uint64_t LostIn(const std::vector<iommufd_vevent> &e)
{
	uint64_t lost = 0;

	for (const iommufd_vevent &v : e)
		lost += v.lost;
	return lost;
}

size_t Normal(const std::vector<iommufd_vevent> &e)
{
	size_t n = 0;

	for (const iommufd_vevent &v : e)
		n += !(v.flags & IOMMUFD_VEVENT_LOST);
	return n;
}

} // namespace

TEST_F(VeventqKernelTest, EventsCarryTheVirtIdInSequence)
{
	iommufd_veventq *q = NewQueue(16);
	ASSERT_NE(nullptr, q);
	const int fd = iommufd_veventq_fd(q);

	EXPECT_FALSE(Readable(fd, 0));
	TriggerEvents(5);
	ASSERT_TRUE(Readable(fd, 5000));
	const std::vector<iommufd_vevent> e = Read(q);
	ASSERT_EQ(5u, e.size());
	for (uint32_t i = 0; i < 5; i++) {
		SCOPED_TRACE("event " + std::to_string(i));
		EXPECT_EQ(0u, e[i].flags);
		EXPECT_EQ(i, e[i].sequence); // a new queue counts from 0
		EXPECT_EQ(0u, e[i].lost);
		EXPECT_EQ(sizeof(iommufd_vevent_selftest), e[i].data_len);
		EXPECT_EQ(kVirtId, VirtId(e[i]));
	}
	EXPECT_FALSE(Readable(fd, 0));
	EXPECT_TRUE(Read(q).empty());
	EXPECT_EQ(0u, iommufd_veventq_lost(q));
}

// Depth 2, ten events: two queued, eight dropped; the kernel's LOST record
// stands for them, then delivery resumes with the next number.
TEST_F(VeventqKernelTest, OverflowLossesCountedExactly)
{
	constexpr uint32_t kTriggered = 10;
	iommufd_veventq *q = NewQueue(2);
	ASSERT_NE(nullptr, q);

	TriggerEvents(kTriggered);
	ASSERT_TRUE(Readable(iommufd_veventq_fd(q), 5000));
	const std::vector<iommufd_vevent> e = Read(q, 16);
	ASSERT_EQ(3u, e.size());
	EXPECT_EQ(2u, Normal(e));
	EXPECT_EQ(0u, e[0].sequence);
	EXPECT_EQ(1u, e[1].sequence);
	EXPECT_EQ(kVirtId, VirtId(e[0]));
	EXPECT_EQ(kVirtId, VirtId(e[1]));
	ASSERT_TRUE(e[2].flags & IOMMUFD_VEVENT_LOST);
	EXPECT_EQ(0u, e[2].data_len);
	EXPECT_EQ(kTriggered - 2, e[2].lost);
	EXPECT_EQ(kTriggered - Normal(e), LostIn(e));
	EXPECT_EQ(kTriggered - Normal(e), iommufd_veventq_lost(q));

	// Normal delivery again, numbered on from the LOST record; depth 2
	// again, so of three more events the third is lost.
	TriggerEvents(3);
	const std::vector<iommufd_vevent> more = Read(q, 16);
	ASSERT_EQ(3u, more.size());
	EXPECT_EQ(e[2].sequence + 1, more[0].sequence);
	EXPECT_EQ(e[2].sequence + 2, more[1].sequence);
	EXPECT_EQ(0u, more[0].lost);
	EXPECT_EQ(0u, more[0].flags);
	EXPECT_EQ(kVirtId, VirtId(more[1]));
	EXPECT_TRUE(more[2].flags & IOMMUFD_VEVENT_LOST);
	EXPECT_EQ(1u, more[2].lost);
	EXPECT_EQ(kTriggered + 3 - 4, iommufd_veventq_lost(q));

	TriggerEvents(1);
	const std::vector<iommufd_vevent> after = Read(q, 16);
	ASSERT_EQ(1u, after.size());
	EXPECT_EQ(0u, after[0].lost);
	EXPECT_EQ(0u, after[0].flags);
	EXPECT_EQ(more[2].sequence + 1, after[0].sequence);
}

TEST_F(VeventqKernelTest, OverflowReadOneAtATime)
{
	iommufd_veventq *q = NewQueue(2);
	ASSERT_NE(nullptr, q);

	TriggerEvents(10);
	std::vector<iommufd_vevent> all;
	for (int i = 0; i < 5; i++) {
		const std::vector<iommufd_vevent> e = Read(q, 1);
		ASSERT_LE(e.size(), 1u);
		all.insert(all.end(), e.begin(), e.end());
	}
	ASSERT_EQ(3u, all.size()); // two events and the LOST record, none dropped
	EXPECT_EQ(8u, LostIn(all));
	EXPECT_EQ(8u, iommufd_veventq_lost(q));
}

TEST_F(VeventqKernelTest, AllocRefusals)
{
	iommufd_veventq *q = nullptr;

	EXPECT_ERRNO(EINVAL, iommufd_veventq_alloc(ctx_, viommu_, IOMMUFD_VEVENTQ_TYPE_SELFTEST,
						   0, nullptr, &q));
	EXPECT_ERRNO(EINVAL, iommufd_veventq_alloc(ctx_, viommu_, IOMMUFD_VEVENTQ_TYPE_SELFTEST,
						   kMaxDepth + 1, nullptr, &q));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_veventq_alloc(ctx_, viommu_,
						       IOMMUFD_VEVENTQ_TYPE_DEFAULT, 2, nullptr,
						       &q));
	EXPECT_ERRNO(ENOENT, iommufd_veventq_alloc(ctx_, 0xfffff, IOMMUFD_VEVENTQ_TYPE_SELFTEST,
						   2, nullptr, &q));
	EXPECT_EQ(nullptr, q);

	iommufd_veventq *big = NewQueue(kMaxDepth);
	ASSERT_NE(nullptr, big);
	EXPECT_ERRNO(EEXIST, iommufd_veventq_alloc(ctx_, viommu_, IOMMUFD_VEVENTQ_TYPE_SELFTEST,
						   2, nullptr, &q));
	CloseQueue(big);
	ASSERT_NE(nullptr, NewQueue(2)); // the type is free again
}

TEST_F(VeventqKernelTest, ReadArguments)
{
	iommufd_veventq *q = NewQueue(4);
	ASSERT_NE(nullptr, q);
	iommufd_vevent e[1];

	EXPECT_ERRNO(EINVAL, static_cast<int>(iommufd_veventq_read(q, nullptr, 1)));
	EXPECT_ERRNO(EINVAL, static_cast<int>(iommufd_veventq_read(q, e, 0)));
	EXPECT_EQ(0, iommufd_veventq_read(q, e, 1));
}

TEST_F(VeventqKernelTest, CloseWithEventsQueued)
{
	iommufd_veventq *q = NewQueue(8);
	ASSERT_NE(nullptr, q);
	const uint32_t id = iommufd_veventq_id(q);

	TriggerEvents(4);
	CloseQueue(q);
	EXPECT_ERRNO(ENOENT, iommufd_destroy(ctx_, id)); // gone with its handle
	ASSERT_NE(nullptr, NewQueue(8));
}

// ---- 6.12: no vEVENTQ --------------------------------------------------

class VeventqAbsentKernelTest : public HwptKernelTest {};

TEST_F(VeventqAbsentKernelTest, RefusedNamingTheRelease)
{
	if (KernelAtLeast(6, 15))
		GTEST_SKIP() << "this kernel has vEVENTQs (VeventqKernelTest uses them)";
	iommufd_veventq *q = nullptr;
	iommufd_feature_status st = {};

	EXPECT_ERRNO(EOPNOTSUPP, iommufd_veventq_alloc(ctx_, 1, IOMMUFD_VEVENTQ_TYPE_SELFTEST, 2,
						       nullptr, &q));
	const std::string why = iommufd_ctx_last_error(ctx_);
	EXPECT_NE(std::string::npos, why.find("6.15")) << why;
	EXPECT_EQ(nullptr, q);

	ASSERT_OK(iommufd_probe_device_feature(ctx_, dev_.dev_id, IOMMUFD_FEATURE_VEVENTQ, &st));
	EXPECT_EQ(0u, st.supported);
	EXPECT_EQ(static_cast<uint32_t>(IOMMUFD_KVER(6, 15)), st.release);
	EXPECT_NE(nullptr, strstr(st.reason, "6.15")) << st.reason;
	printf("[ veventq  ] %s\n[ veventq  ] probe: %s\n", why.c_str(), st.reason);
}
