// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_hwpt_invalidate(): the count of entries handled is passed on
// exactly, on failure too, and said in the sentence; long arrays go in
// batches of the kernel's bound.
#include <unistd.h>

#include <vector>

#include "hwpt_test_support.h"

namespace {

using fake::Kver;

constexpr uint32_t kIotlb = 0xbadbeef;
constexpr uint32_t kSelftest = IOMMUFD_INVALIDATE_DATA_SELFTEST;
constexpr uint32_t kEntryLen = sizeof(iommufd_selftest_invalidate);

class Invalidate : public HwptTest {
protected:
	void SetUp() override
	{
		HwptTest::SetUp();
		parent_ = Paging(IOMMUFD_HWPT_NEST_PARENT);
		nested_ = Nested(parent_, kIotlb);
		fk_.ResetCounters();
	}
	const std::array<uint32_t, 4> &Iotlb() { return fake::FindHwpt(fk_, nested_)->iotlb; }

	uint32_t parent_ = 0, nested_ = 0;
};

TEST_P(Invalidate, EveryEntryHandled)
{
	const iommufd_selftest_invalidate e[] = {{0, 0}, {0, 1}, {0, 3}};
	uint32_t n = 3;

	ASSERT_EQ(0, iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, e, kEntryLen, &n))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(3u, n);
	EXPECT_EQ((std::array<uint32_t, 4>{0, 0, kIotlb, 0}), Iotlb());
	EXPECT_EQ(1u, fk_.ioctls());
	EXPECT_EQ(32u, fk_.last_size(UAPI_CMD_HWPT_INVALIDATE));
}

TEST_P(Invalidate, AllFlag)
{
	const iommufd_selftest_invalidate e = {1, 0};
	uint32_t n = 1;

	ASSERT_EQ(0, iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, &e, kEntryLen, &n));
	EXPECT_EQ((std::array<uint32_t, 4>{0, 0, 0, 0}), Iotlb());
}

// An invalid entry in the middle: the ones before it are done, the ones
// after it are not, and the count says where it stopped.
TEST_P(Invalidate, PartialProgressIsReported)
{
	const iommufd_selftest_invalidate e[] = {{0, 0}, {0, 1}, {0, 9}, {0, 3}};
	uint32_t n = 4;

	EXPECT_FAILS(ctx_, EINVAL,
		     "IOMMU_HWPT_INVALIDATE of 4: the kernel handled 2 of 4 entries; entry 2 failed "
		     "(Invalid argument): the entry is invalid",
		     iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, e, kEntryLen, &n));
	EXPECT_EQ(2u, n);
	EXPECT_EQ((std::array<uint32_t, 4>{0, 0, kIotlb, kIotlb}), Iotlb());
}

TEST_P(Invalidate, UnsupportedFlagInTheMiddle)
{
	const iommufd_selftest_invalidate e[] = {{0, 2}, {0x80, 1}};
	uint32_t n = 2;

	EXPECT_FAILS(ctx_, EOPNOTSUPP, "handled 1 of 2 entries; entry 1 failed",
		     iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, e, kEntryLen, &n));
	EXPECT_EQ(1u, n);
}

// Entries longer than the kernel's struct are refused, zeros or not.
TEST_P(Invalidate, LongEntries)
{
	const uint32_t e[] = {0, 0, 0, /**/ 0, 1, 0};
	uint32_t n = 2;

	EXPECT_FAILS(ctx_, EINVAL,
		     "entry 0 failed (Invalid argument): not a nested HWPT or vIOMMU, data_type not "
		     "its type, entry_len not the kernel's (longer is refused too, zero or not)",
		     iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, e, 12, &n));
	EXPECT_EQ(0u, n);
	EXPECT_EQ(kIotlb, Iotlb()[0]);
}

TEST_P(Invalidate, WrongDataType)
{
	const iommufd_vtd_s1_invalidate e = {0x1000, 1, 0, 0};
	uint32_t n = 1;

	EXPECT_FAILS(ctx_, EINVAL,
		     "handled 0 of 1 entries; entry 0 failed (Invalid argument): not a nested HWPT "
		     "or vIOMMU, data_type not its type,",
		     iommufd_hwpt_invalidate(ctx_, nested_, IOMMUFD_INVALIDATE_DATA_VTD_S1, &e,
					     sizeof(e), &n));
	EXPECT_EQ(0u, n);
}

// No entries: does the HWPT take this data type at all?
TEST_P(Invalidate, NoEntriesAsksForTheType)
{
	uint32_t n = 0;

	EXPECT_EQ(0, iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, nullptr, 0, &n))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, n);
	EXPECT_FAILS(ctx_, EINVAL,
		     "IOMMU_HWPT_INVALIDATE of 4 with no entries (is data_type 0x0 taken?) failed",
		     iommufd_hwpt_invalidate(ctx_, nested_, IOMMUFD_INVALIDATE_DATA_VTD_S1, nullptr,
					     0, &n));
}

// Before vIOMMUs (6.13) the kernel looked for a nested HWPT only.
TEST_P(Invalidate, NotNested)
{
	const iommufd_selftest_invalidate e = {0, 0};
	uint32_t n = 1;
	const int err = kver() >= Kver(6, 13) ? EINVAL : ENOENT;

	EXPECT_FAILS(ctx_, err, "IOMMU_HWPT_INVALIDATE of 3: the kernel handled 0 of 1 entries",
		     iommufd_hwpt_invalidate(ctx_, parent_, kSelftest, &e, kEntryLen, &n));
	EXPECT_EQ(0u, n);
	n = 1;
	EXPECT_FAILS(ctx_, ENOENT, "no such object",
		     iommufd_hwpt_invalidate(ctx_, 99, kSelftest, &e, kEntryLen, &n));
	EXPECT_EQ(0u, n);
}

TEST_P(Invalidate, ArgumentChecks)
{
	const iommufd_selftest_invalidate e = {0, 0};
	uint32_t n = 1;

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_hwpt_invalidate: the context is NULL",
			iommufd_hwpt_invalidate(nullptr, nested_, kSelftest, &e, kEntryLen, &n));
	EXPECT_EQ(0u, n) << "nothing handled";
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hwpt_invalidate: entry_num is NULL",
			iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, &e, kEntryLen, nullptr));
	n = 1;
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hwpt_invalidate: entries is NULL for 1 entries",
			iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, nullptr, kEntryLen, &n));
	EXPECT_EQ(0u, n);
	n = 1;
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hwpt_invalidate: entry_len 0 is not 1..",
			iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, &e, 0, &n));
	n = 1;
	const long page = sysconf(_SC_PAGESIZE);
	EXPECT_REJECTED(ctx_, EINVAL,
			"entry_len " + std::to_string(page + 1) + " is not 1.." +
				std::to_string(page) + " (the page size)",
			iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, &e,
						static_cast<uint32_t>(page + 1), &n));
	EXPECT_EQ((std::array<uint32_t, 4>{kIotlb, kIotlb, kIotlb, kIotlb}), Iotlb());
}

// An ioctl that fails around the command leaves entry_num as sent: the
// library does not take that for "all handled".
TEST_P(Invalidate, FailureWithoutACount)
{
	const iommufd_selftest_invalidate e[] = {{0, 0}, {0, 1}};
	uint32_t n = 2;

	fk_.FailIoctl(1, EFAULT);
	EXPECT_FAILS(ctx_, EFAULT,
		     "IOMMU_HWPT_INVALIDATE of 4 failed (Bad address) without saying how many "
		     "entries it handled: entries 0..1 count as not handled",
		     iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, e, kEntryLen, &n));
	EXPECT_EQ(0u, n);
}

// More entries than one ioctl takes: batches of 2^19, in order.
TEST_P(Invalidate, Batches)
{
	const uint32_t total = IOMMUFD_INVALIDATE_BATCH + 3;
	std::vector<iommufd_selftest_invalidate> e(total, iommufd_selftest_invalidate{0, 1});
	uint32_t n = total;

	e.back().iotlb_id = 2;
	ASSERT_EQ(0, iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, e.data(), kEntryLen, &n))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(total, n);
	EXPECT_EQ(2u, fk_.ioctls(UAPI_CMD_HWPT_INVALIDATE));
	EXPECT_EQ((std::array<uint32_t, 4>{kIotlb, 0, 0, kIotlb}), Iotlb());
}

TEST_P(Invalidate, FailureInTheSecondBatch)
{
	const uint32_t total = IOMMUFD_INVALIDATE_BATCH + 3;
	std::vector<iommufd_selftest_invalidate> e(total, iommufd_selftest_invalidate{0, 1});
	uint32_t n = total;

	e[IOMMUFD_INVALIDATE_BATCH + 1].iotlb_id = 42;
	e.back().iotlb_id = 2;
	EXPECT_FAILS(ctx_, EINVAL,
		     "the kernel handled 524289 of 524291 entries; entry 524289 failed",
		     iommufd_hwpt_invalidate(ctx_, nested_, kSelftest, e.data(), kEntryLen, &n));
	EXPECT_EQ(IOMMUFD_INVALIDATE_BATCH + 1, n);
	EXPECT_EQ(kIotlb, Iotlb()[2]) << "the entry after the bad one was not sent";
}

INSTANTIATE_FOR_PROFILES(Invalidate, ProfilesSince(Kver(6, 8)));

// 6.7 nests but cannot invalidate yet.
using Invalidate67 = OnProfile<fake::Profile::Linux6_7>;

TEST_F(Invalidate67, Needs68)
{
	const iommufd_selftest_invalidate e = {0, 0};
	uint32_t n = 1;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HWPT_INVALIDATE needs Linux 6.8 or newer (this kernel does not know it)",
		     iommufd_hwpt_invalidate(ctx_, 1, kSelftest, &e, kEntryLen, &n));
	EXPECT_EQ(0u, n);
}

} // namespace
