// SPDX-License-Identifier: LGPL-2.1-or-later
// IOMMU_IOAS_IOVA_RANGES and IOMMU_IOAS_ALLOW_IOVAS for real: reserved
// regions of mock devices and of the mock's ADD_RESERVED shape the answers.
#include "kernel_test.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace {

using RangesTest = KernelTest;

constexpr iommufd_iova_range kSentinel = { 0xdeadbeefull, 0xfeedfaceull };

bool Eq(const iommufd_iova_range &a, const iommufd_iova_range &b)
{
	return a.start == b.start && a.last == b.last;
}

std::string Str(const iommufd_iova_range &r)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "[0x%llx, 0x%llx]", static_cast<unsigned long long>(r.start),
		 static_cast<unsigned long long>(r.last));
	return buf;
}

#define EXPECT_RANGE(START, LAST, R)                                                      \
	EXPECT_TRUE(Eq(iommufd_iova_range{ (START), (LAST) }, (R)))                       \
		<< "got " << Str(R) << ", expected " << Str(iommufd_iova_range{ (START), (LAST) })

// ---- iova_ranges ---------------------------------------------------------------

TEST_F(RangesTest, EmptyIoasHasTheWholeSpace)
{
	iommufd_iova_range r[2] = { kSentinel, kSentinel };
	uint64_t align = 0;

	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, NewIoas(), r, 2, &align));
	EXPECT_RANGE(0, UINT64_MAX, r[0]);
	EXPECT_TRUE(Eq(kSentinel, r[1]));
	EXPECT_EQ(1u, align);
}

TEST_F(RangesTest, MockDeviceNarrowsToItsAperture)
{
	uint32_t ioas = NewIoas();
	iommufd_iova_range r[2] = { kSentinel, kSentinel };
	uint64_t align = 0;
	MockDev dev = AddMockDev(ioas);

	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas, r, 2, &align));
	EXPECT_RANGE(kApStart, kApLast, r[0]);
	EXPECT_EQ(kMockPage, align);
	// Unplugged, the whole space is back.
	Destroy(dev.stdev_id);
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas, r, 2, &align));
	EXPECT_RANGE(0, UINT64_MAX, r[0]);
	EXPECT_EQ(1u, align);
}

TEST_F(RangesTest, ReservedRegionsSplitTheRanges)
{
	const uint64_t mib = 1 << 20;
	uint32_t ioas = NewIoas();
	iommufd_iova_range r[4];
	uint64_t align = 0;

	AddMockDev(ioas);
	// Below the aperture: already reserved, changes nothing.
	ASSERT_OK(iommufd_test_add_reserved(ctx_, ioas, PageSize(), PageSize()));
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas, r, 4, &align));
	// Inside: two ranges, then three.
	ASSERT_OK(iommufd_test_add_reserved(ctx_, ioas, kApStart + mib, mib));
	std::fill(std::begin(r), std::end(r), kSentinel);
	ASSERT_EQ(2, iommufd_ioas_iova_ranges(ctx_, ioas, r, 4, &align));
	EXPECT_RANGE(kApStart, kApStart + mib - 1, r[0]);
	EXPECT_RANGE(kApStart + 2 * mib, kApLast, r[1]);
	EXPECT_TRUE(Eq(kSentinel, r[2]));
	ASSERT_OK(iommufd_test_add_reserved(ctx_, ioas, kApStart + 8 * mib, 4 * mib));
	ASSERT_EQ(3, iommufd_ioas_iova_ranges(ctx_, ioas, r, 4, &align));
	EXPECT_RANGE(kApStart, kApStart + mib - 1, r[0]);
	EXPECT_RANGE(kApStart + 2 * mib, kApStart + 8 * mib - 1, r[1]);
	EXPECT_RANGE(kApStart + 12 * mib, kApLast, r[2]);
	EXPECT_EQ(kMockPage, align);
}

// Too small an array: the library grows past the kernel's EMSGSIZE, fills
// what fits and returns the total, as snprintf does.
TEST_F(RangesTest, SmallArrayGetsTheTotal)
{
	const uint64_t page = PageSize();
	uint32_t ioas = NewIoas();
	iommufd_iova_range r[3];
	uint64_t align = 0;

	ASSERT_OK(iommufd_test_add_reserved(ctx_, ioas, page, page));
	ASSERT_OK(iommufd_test_add_reserved(ctx_, ioas, 4 * page, page));
	// [0, page-1], [2 page, 4 page - 1], [5 page, max]
	std::fill(std::begin(r), std::end(r), kSentinel);
	EXPECT_EQ(3, iommufd_ioas_iova_ranges(ctx_, ioas, r, 1, &align));
	EXPECT_RANGE(0, page - 1, r[0]);
	EXPECT_TRUE(Eq(kSentinel, r[1])) << "wrote past max_ranges";
	EXPECT_EQ(1u, align);

	std::fill(std::begin(r), std::end(r), kSentinel);
	EXPECT_EQ(3, iommufd_ioas_iova_ranges(ctx_, ioas, r, 2, nullptr));
	EXPECT_RANGE(0, page - 1, r[0]);
	EXPECT_RANGE(2 * page, 4 * page - 1, r[1]);
	EXPECT_TRUE(Eq(kSentinel, r[2])) << "wrote past max_ranges";

	align = 0;
	EXPECT_EQ(3, iommufd_ioas_iova_ranges(ctx_, ioas, nullptr, 0, &align));
	EXPECT_EQ(1u, align) << "the count-only call fills the alignment too";

	EXPECT_EQ(3, iommufd_ioas_iova_ranges(ctx_, ioas, r, 3, nullptr));
	EXPECT_RANGE(5 * page, UINT64_MAX, r[2]);
}

TEST_F(RangesTest, FullyReservedIoasHasNoRange)
{
	const uint64_t page = PageSize();
	Buffer buf(page);
	uint32_t ioas = NewIoas();
	iommufd_iova_range r[1] = { kSentinel };
	uint64_t iova = 0;

	ASSERT_OK(iommufd_test_add_reserved(ctx_, ioas, 0, UINT64_MAX));
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas, r, 1, nullptr));
	EXPECT_RANGE(UINT64_MAX, UINT64_MAX, r[0]);
	ASSERT_OK(iommufd_test_add_reserved(ctx_, ioas, UINT64_MAX, 1));
	r[0] = kSentinel;
	EXPECT_EQ(0, iommufd_ioas_iova_ranges(ctx_, ioas, r, 1, nullptr));
	EXPECT_TRUE(Eq(kSentinel, r[0]));
	EXPECT_ERRNO(ENOSPC, iommufd_ioas_map(ctx_, ioas, buf.p(), page, kRW, &iova));
	iova = kApStart;
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p(), page, kRW | kFixed, &iova));
}

TEST_F(RangesTest, IovaRangesErrnos)
{
	uint32_t ioas = NewIoas();
	iommufd_iova_range r[1];

	EXPECT_ERRNO(ENOENT, iommufd_ioas_iova_ranges(ctx_, ioas + 1000, r, 1, nullptr));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_iova_ranges(ctx_, 0, nullptr, 0, nullptr));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_iova_ranges(ctx_, ioas, nullptr, 1, nullptr));
}

TEST_F(RangesTest, AddReservedOverAMappingIsEADDRINUSE)
{
	const uint64_t page = PageSize();
	Buffer buf(page);
	uint32_t ioas = NewIoas();

	MapFixed(ioas, buf.p(), page, kApStart);
	EXPECT_ERRNO(EADDRINUSE, iommufd_test_add_reserved(ctx_, ioas, kApStart, 1));
	EXPECT_ERRNO(EINVAL, iommufd_test_add_reserved(ctx_, ioas, kApStart + page, 0));
	EXPECT_ERRNO(EOVERFLOW, iommufd_test_add_reserved(ctx_, ioas, UINT64_MAX, 2));
	EXPECT_ERRNO(ENOENT, iommufd_test_add_reserved(ctx_, ioas + 1000, 0, page));
}

// ---- allow_iovas ---------------------------------------------------------------

TEST_F(RangesTest, AllowedRangesSteerKernelChosenIovas)
{
	const uint64_t page = PageSize();
	Buffer buf(32 * page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	const iommufd_iova_range allowed[] = {
		{ kApStart + 0x100000, kApStart + 0x100000 + 16 * page - 1 },
	};
	uint64_t iova = 0;

	ASSERT_OK(iommufd_ioas_allow_iovas(ctx_, ioas, allowed, 1));
	for (int i = 0; i < 4; i++) {
		iova = Map(ioas, buf.p() + i * 4 * page, 4 * page);
		EXPECT_GE(iova, allowed[0].start);
		EXPECT_LE(iova + 4 * page - 1, allowed[0].last);
		EXPECT_OK(CheckMap(dev.hwpt_id, iova, 4 * page, buf.p() + i * 4 * page));
	}
	// Full now.
	EXPECT_ERRNO(ENOSPC, iommufd_ioas_map(ctx_, ioas, buf.p(), page, kRW, &iova));
	// A fixed IOVA is not held to the allowed ranges.
	MapFixed(ioas, buf.p(), page, kApStart);
	EXPECT_OK(CheckMap(dev.hwpt_id, kApStart, page, buf.p()));
	// The ranges report only reserved regions, not the allowed ones.
	iommufd_iova_range r[2];
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas, r, 2, nullptr));
	EXPECT_RANGE(kApStart, kApLast, r[0]);
	// Removing the restriction frees the rest of the aperture.
	ASSERT_OK(iommufd_ioas_allow_iovas(ctx_, ioas, nullptr, 0));
	iova = Map(ioas, buf.p(), buf.size());
	EXPECT_OK(CheckMap(dev.hwpt_id, iova, buf.size(), buf.p()));
	EXPECT_EQ(16 * page + page + buf.size(), UnmapAll(ioas));
}

// Allowing ranges does not evict mappings outside them.
TEST_F(RangesTest, AllowKeepsExistingMappings)
{
	const uint64_t page = PageSize();
	Buffer buf(page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	const iommufd_iova_range allowed[] = { { kApStart + 0x400000, kApLast } };

	MapFixed(ioas, buf.p(), page, kApStart);
	EXPECT_OK(iommufd_ioas_allow_iovas(ctx_, ioas, allowed, 1));
	EXPECT_OK(CheckMap(dev.hwpt_id, kApStart, page, buf.p()));
}

TEST_F(RangesTest, AllowedAndReservedMustNotMeet)
{
	const uint64_t page = PageSize();
	uint32_t ioas = NewIoas();
	const iommufd_iova_range below[] = { { page, 16 * page - 1 } };
	uint32_t stdev = 0;

	// A device whose reserved regions meet the allowed ranges cannot attach.
	ASSERT_OK(iommufd_ioas_allow_iovas(ctx_, ioas, below, 1));
	EXPECT_ERRNO(EADDRINUSE, iommufd_test_mock_domain(ctx_, ioas, 0, &stdev, nullptr, nullptr));
	EXPECT_ERRNO(EADDRINUSE, iommufd_test_add_reserved(ctx_, ioas, 2 * page, page));
	ASSERT_OK(iommufd_ioas_allow_iovas(ctx_, ioas, nullptr, 0));
	AddMockDev(ioas);
	// Attached, its reserved regions refuse allowed ranges that meet them.
	EXPECT_ERRNO(EADDRINUSE, iommufd_ioas_allow_iovas(ctx_, ioas, below, 1));
	const iommufd_iova_range across[] = { { kApLast - page, kApLast + page } };
	EXPECT_ERRNO(EADDRINUSE, iommufd_ioas_allow_iovas(ctx_, ioas, across, 1));
	// And so do ADD_RESERVED regions.
	ASSERT_OK(iommufd_test_add_reserved(ctx_, ioas, kApStart + 0x100000, page));
	const iommufd_iova_range over[] = { { kApStart, kApStart + 0x200000 } };
	EXPECT_ERRNO(EADDRINUSE, iommufd_ioas_allow_iovas(ctx_, ioas, over, 1));
	// Ranges that keep clear of every reserved region are taken.
	const iommufd_iova_range inside[] = { { kApStart, kApStart + 0x100000 - 1 },
					       { kApStart + 0x200000, kApLast } };
	EXPECT_OK(iommufd_ioas_allow_iovas(ctx_, ioas, inside, 2));
}

TEST_F(RangesTest, AllowIovasErrnos)
{
	const uint64_t page = PageSize();
	uint32_t ioas = NewIoas();
	const iommufd_iova_range overlap[] = { { 16 * page, 32 * page }, { 32 * page, 48 * page } };
	const iommufd_iova_range inside[] = { { 16 * page, 64 * page }, { 20 * page, 21 * page } };
	const iommufd_iova_range unsorted[] = { { 32 * page, 48 * page - 1 },
						{ 16 * page, 32 * page - 1 } };
	const iommufd_iova_range empty[] = { { 16 * page, 16 * page } };
	const iommufd_iova_range reversed[] = { { 17 * page, 16 * page } };

	EXPECT_ERRNO(EINVAL, iommufd_ioas_allow_iovas(ctx_, ioas, overlap, 2));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_allow_iovas(ctx_, ioas, inside, 2));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_allow_iovas(ctx_, ioas, empty, 1));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_allow_iovas(ctx_, ioas, reversed, 1));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_allow_iovas(ctx_, ioas, nullptr, 1));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_allow_iovas(ctx_, ioas + 1000, unsorted, 2));
	EXPECT_OK(iommufd_ioas_allow_iovas(ctx_, ioas, unsorted, 2));
}

} // namespace
