// SPDX-License-Identifier: LGPL-2.1-or-later
// Dirty tracking: iommufd_hwpt_set_dirty_tracking() and the reader
// iommufd_hwpt_get_dirty_bitmap(): one ioctl per range, or with CHUNKED bit
// placement across chunk boundaries and ioctls per chunk; NO_CLEAR, MERGE,
// every check and errno.
#include <vector>

#include "hwpt_test_support.h"

namespace {

using fake::Kver;

constexpr uint64_t kChunk = IOMMUFD_DIRTY_CHUNK_PAGES;
constexpr uint64_t kBase = 1ull << 32; // IOVA of the test range

// A bitmap of @pages bits in whole 64-bit words.
std::vector<uint64_t> Bitmap(uint64_t pages, uint64_t fill = 0)
{
	return std::vector<uint64_t>(pages / 64 + (pages % 64 != 0), fill);
}

bool Bit(const std::vector<uint64_t> &b, uint64_t i)
{
	return (b[i / 64] >> (i % 64)) & 1;
}

std::vector<uint64_t> SetBits(const std::vector<uint64_t> &b)
{
	std::vector<uint64_t> out;

	for (uint64_t i = 0; i < b.size() * 64; i++)
		if (Bit(b, i))
			out.push_back(i);
	return out;
}

class Dirty : public HwptTest {
protected:
	void SetUp() override
	{
		HwptTest::SetUp();
		hwpt_ = Paging(IOMMUFD_HWPT_DIRTY_TRACKING);
		ASSERT_EQ(0, iommufd_hwpt_set_dirty_tracking(ctx_, hwpt_, 1))
			<< iommufd_ctx_last_error(ctx_);
		fk_.ResetCounters();
	}
	// Map [kBase, kBase + length) (the fake pins nothing).
	void MapRange(uint64_t length) { MapFixed(ioas_, kBase, length, 0x10000000); }
	void Dirty4k(uint64_t iova) { ASSERT_TRUE(fake::MarkDirty(fk_, hwpt_, iova, kPage)); }
	int Read(uint64_t iova, uint64_t length, uint64_t page_size, std::vector<uint64_t> &b,
		 uint32_t flags = 0)
	{
		return iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, iova, length, page_size, b.data(),
						     b.size() * 8, flags);
	}
	const std::vector<fake::DirtyRead> &Reads() { return fake::FindHwpt(fk_, hwpt_)->reads; }

	uint32_t hwpt_ = 0;
};

TEST_P(Dirty, SmallRangeOneIoctl)
{
	auto b = Bitmap(128, ~0ull);

	MapRange(128 * kPage);
	for (uint64_t page : {0, 5, 63, 64, 127})
		Dirty4k(kBase + page * kPage);
	ASSERT_EQ(0, Read(kBase, 128 * kPage, kPage, b)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ((std::vector<uint64_t>{0, 5, 63, 64, 127}), SetBits(b)) << "stale bits zeroed";
	EXPECT_EQ(1u, fk_.ioctls(UAPI_CMD_HWPT_GET_DIRTY_BITMAP));
	EXPECT_EQ(48u, fk_.last_size(UAPI_CMD_HWPT_GET_DIRTY_BITMAP));
	ASSERT_EQ(0, Read(kBase, 128 * kPage, kPage, b));
	EXPECT_TRUE(SetBits(b).empty()) << "the first read cleared them";
}

TEST_P(Dirty, NoClearKeepsTheBits)
{
	auto b = Bitmap(64);

	MapRange(64 * kPage);
	Dirty4k(kBase + 7 * kPage);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, Read(kBase, 64 * kPage, kPage, b, IOMMUFD_DIRTY_NO_CLEAR));
		EXPECT_EQ(std::vector<uint64_t>{7}, SetBits(b));
	}
	EXPECT_EQ(UAPI_HWPT_GET_DIRTY_BITMAP_NO_CLEAR, Reads().back().flags);
	ASSERT_EQ(0, Read(kBase, 64 * kPage, kPage, b));
	EXPECT_EQ(std::vector<uint64_t>{7}, SetBits(b));
	EXPECT_EQ(0u, Reads().back().flags);
	ASSERT_EQ(0, Read(kBase, 64 * kPage, kPage, b));
	EXPECT_TRUE(SetBits(b).empty());
}

// MERGE ORs into the caller's bits: several HWPTs, one bitmap.
TEST_P(Dirty, MergeKeepsTheCallersBits)
{
	auto b = Bitmap(64);

	MapRange(64 * kPage);
	b[0] = 1ull << 3;
	Dirty4k(kBase + 9 * kPage);
	ASSERT_EQ(0, Read(kBase, 64 * kPage, kPage, b, IOMMUFD_DIRTY_MERGE));
	EXPECT_EQ((std::vector<uint64_t>{3, 9}), SetBits(b));
	EXPECT_EQ(0u, Reads().back().flags) << "MERGE is the library's, not the kernel's";
}

// A huge range is one ioctl, as a hand-written call would be.
TEST_P(Dirty, HugeRangeOneIoctl)
{
	const uint64_t pages = 5 * kChunk + 100;
	auto b = Bitmap(pages, ~0ull);
	const std::vector<uint64_t> dirty = {0, kChunk - 1, kChunk, 4 * kChunk + 1, pages - 1};

	MapRange(pages * kPage);
	for (uint64_t page : dirty)
		Dirty4k(kBase + page * kPage);
	ASSERT_EQ(0, Read(kBase, pages * kPage, kPage, b)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(dirty, SetBits(b)) << "stale bits cleared, the dirty ones set";
	ASSERT_EQ(1u, Reads().size());
	EXPECT_EQ(kBase, Reads()[0].iova);
	EXPECT_EQ(pages * kPage, Reads()[0].length);
	EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()), Reads()[0].data);
}

// With CHUNKED: one ioctl per chunk, each with its own word-aligned part
// of the bitmap, and bits on both sides of every boundary land right.
TEST_P(Dirty, HugeRangeInChunks)
{
	const uint64_t pages = 5 * kChunk + 100;
	auto b = Bitmap(pages);
	const std::vector<uint64_t> dirty = {0,          kChunk - 1,     kChunk,     2 * kChunk - 1,
					     2 * kChunk, 4 * kChunk + 1, 5 * kChunk, pages - 1};

	MapRange(pages * kPage);
	for (uint64_t page : dirty)
		Dirty4k(kBase + page * kPage);
	ASSERT_EQ(0, Read(kBase, pages * kPage, kPage, b, IOMMUFD_DIRTY_CHUNKED))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(dirty, SetBits(b));
	ASSERT_EQ(6u, Reads().size());
	for (size_t i = 0; i < Reads().size(); i++) {
		const fake::DirtyRead &r = Reads()[i];
		EXPECT_EQ(kBase + i * kChunk * kPage, r.iova) << i;
		EXPECT_EQ((i < 5 ? kChunk : 100) * kPage, r.length) << i;
		EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) + i * kChunk / 8, r.data) << i;
		EXPECT_EQ(kPage, r.page_size);
	}
}

// 2^40 bytes at 2 MiB a bit: 2^19 bits, 16 chunks with CHUNKED; a 4 KiB
// dirty page sets the bit of the 2 MiB that holds it.
TEST_P(Dirty, LargePageSize)
{
	const uint64_t page_size = 2ull << 20, length = 1ull << 40;
	auto b = Bitmap(length / page_size);

	MapRange(length);
	Dirty4k(kBase + 3 * page_size + 5 * kPage);
	Dirty4k(kBase + length - kPage);
	ASSERT_EQ(0, Read(kBase, length, page_size, b)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ((std::vector<uint64_t>{3, length / page_size - 1}), SetBits(b));
	EXPECT_EQ(1u, fk_.ioctls(UAPI_CMD_HWPT_GET_DIRTY_BITMAP));
	ASSERT_EQ(0, Read(kBase, length, page_size, b, IOMMUFD_DIRTY_CHUNKED));
	EXPECT_EQ(std::vector<uint64_t>{}, SetBits(b)) << "read and cleared by the first read";
	EXPECT_EQ(1u + 16u, fk_.ioctls(UAPI_CMD_HWPT_GET_DIRTY_BITMAP));
}

// The kernel stops at the first IOVA no mapping covers, and says nothing:
// in one ioctl a hole costs the rest of the range; with CHUNKED each chunk
// starts a new walk, so it costs the rest of its own chunk only.
TEST_P(Dirty, HoleStopsTheKernel)
{
	const uint64_t pages = 2 * kChunk;
	auto b = Bitmap(pages);

	MapFixed(ioas_, kBase, 10 * kPage);
	MapFixed(ioas_, kBase + 20 * kPage, (pages - 20) * kPage);
	for (uint32_t flags : {0u, IOMMUFD_DIRTY_CHUNKED}) {
		Dirty4k(kBase + 1 * kPage);
		Dirty4k(kBase + 30 * kPage);
		Dirty4k(kBase + kChunk * kPage + 1 * kPage);
		ASSERT_EQ(0, Read(kBase, pages * kPage, kPage, b, flags))
			<< iommufd_ctx_last_error(ctx_);
		if (flags & IOMMUFD_DIRTY_CHUNKED)
			EXPECT_EQ((std::vector<uint64_t>{1, kChunk + 1}), SetBits(b));
		else
			EXPECT_EQ(std::vector<uint64_t>{1}, SetBits(b)) << "one walk, stopped at the hole";
	}
}

TEST_P(Dirty, SetTrackingOnOff)
{
	EXPECT_EQ(0, iommufd_hwpt_set_dirty_tracking(ctx_, hwpt_, 0));
	EXPECT_FALSE(fake::FindHwpt(fk_, hwpt_)->tracking);
	EXPECT_EQ(0, iommufd_hwpt_set_dirty_tracking(ctx_, hwpt_, 7)) << "any non-zero enables";
	EXPECT_TRUE(fake::FindHwpt(fk_, hwpt_)->tracking);
	EXPECT_EQ(16u, fk_.last_size(UAPI_CMD_HWPT_SET_DIRTY_TRACKING));
}

TEST_P(Dirty, SetTrackingErrors)
{
	const uint32_t plain = Paging();

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HWPT_SET_DIRTY_TRACKING: HWPT 4 does not track dirty pages (allocate it "
		     "with IOMMUFD_HWPT_DIRTY_TRACKING)",
		     iommufd_hwpt_set_dirty_tracking(ctx_, plain, 1));
	EXPECT_FAILS(ctx_, ENOENT,
		     "IOMMU_HWPT_SET_DIRTY_TRACKING: HWPT 1 does not exist or is not a paging HWPT",
		     iommufd_hwpt_set_dirty_tracking(ctx_, ioas_, 1));
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_hwpt_set_dirty_tracking: the context is NULL",
			iommufd_hwpt_set_dirty_tracking(nullptr, hwpt_, 1));
}

TEST_P(Dirty, ReadErrors)
{
	const uint32_t plain = Paging();
	auto b = Bitmap(64);

	MapRange(64 * kPage);
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HWPT_GET_DIRTY_BITMAP: HWPT 4 does not track dirty pages",
		     iommufd_hwpt_get_dirty_bitmap(ctx_, plain, kBase, 64 * kPage, kPage, b.data(),
						   8, 0));
	EXPECT_FAILS(ctx_, ENOENT,
		     "IOMMU_HWPT_GET_DIRTY_BITMAP: HWPT 99 does not exist or is not a paging HWPT",
		     iommufd_hwpt_get_dirty_bitmap(ctx_, 99, kBase, 64 * kPage, kPage, b.data(), 8,
						   0));
}

// The IOAS's IOVA alignment (the IOMMU's 4 KiB page) is the kernel's to
// check: a 2 KiB page_size passes the library, not the kernel.
TEST_P(Dirty, IoasAlignmentIsTheKernels)
{
	auto b = Bitmap(64);

	MapRange(64 * kPage);
	EXPECT_FAILS(ctx_, EINVAL,
		     "IOMMU_HWPT_GET_DIRTY_BITMAP: IOVA 0x100000800 or length 0x800 is not a "
		     "multiple of the IOVA alignment of HWPT 3's IOAS",
		     Read(kBase + 2048, 2048, 2048, b));
}

// With CHUNKED, a failure after the first chunk says which part the caller
// already has.
TEST_P(Dirty, FailureMidWalk)
{
	const uint64_t pages = 4 * kChunk;
	auto b = Bitmap(pages);

	MapRange(pages * kPage);
	fk_.FailIoctl(3, ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM,
		     "IOMMU_HWPT_GET_DIRTY_BITMAP of HWPT 3 failed: Cannot allocate memory (at IOVA "
		     "0x110000000; the bits of 0x100000000..0x10fffffff are in the bitmap and were "
		     "cleared)",
		     Read(kBase, pages * kPage, kPage, b, IOMMUFD_DIRTY_CHUNKED));
	EXPECT_EQ(2u, Reads().size());
}

TEST_P(Dirty, ArgumentChecks)
{
	auto b = Bitmap(130);
	const uint64_t len = 130 * kPage;

	MapRange(len);
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_hwpt_get_dirty_bitmap: the context is NULL",
			iommufd_hwpt_get_dirty_bitmap(nullptr, hwpt_, kBase, len, kPage, b.data(),
						      b.size() * 8, 0));
	EXPECT_REJECTED(ctx_, EOPNOTSUPP,
			"iommufd_hwpt_get_dirty_bitmap: unknown flags 0x2 (known: 0x30001)",
			Read(kBase, len, kPage, b, 2));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hwpt_get_dirty_bitmap: bitmap is NULL",
			iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, kBase, len, kPage, nullptr, 64,
						      0));
	EXPECT_REJECTED(ctx_, EINVAL, "page_size 0x0 is not a power of two",
			Read(kBase, len, 0, b));
	EXPECT_REJECTED(ctx_, EINVAL, "page_size 0x3000 is not a power of two",
			Read(kBase, len, 3 * kPage, b));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hwpt_get_dirty_bitmap: IOVA length is 0",
			Read(kBase, 0, kPage, b));
	EXPECT_REJECTED(ctx_, EOVERFLOW, "wraps past the end of the 64-bit space",
			Read(~0ull - kPage + 1, 2 * kPage, kPage, b));
	EXPECT_REJECTED(ctx_, EINVAL,
			"IOVA 0x100000800 and length 0x82000 must be multiples of page_size 0x1000",
			Read(kBase + 2048, len, kPage, b));
	EXPECT_REJECTED(ctx_, EINVAL, "and length 0x81800 must be multiples",
			Read(kBase, len - 2048, kPage, b));
	EXPECT_REJECTED(ctx_, EINVAL, "is not 8-byte aligned (the kernel writes it as 64-bit words)",
			iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, kBase, len, kPage,
						      reinterpret_cast<char *>(b.data()) + 4, 17,
						      0));
	EXPECT_REJECTED(ctx_, EINVAL,
			"bitmap_len 17 is too small: 130 pages need 24 bytes (whole 64-bit words)",
			iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, kBase, len, kPage, b.data(), 17,
						      0));
}

// The range may end at the very top of the 64-bit space.
TEST_P(Dirty, RangeEndingAtTheTop)
{
	auto b = Bitmap(2);
	const uint64_t iova = ~0ull - 2 * kPage + 1;

	EXPECT_EQ(0, Read(iova, 2 * kPage, kPage, b)) << iommufd_ctx_last_error(ctx_);
	ASSERT_EQ(1u, Reads().size());
	EXPECT_EQ(iova, Reads()[0].iova);
}

INSTANTIATE_FOR_PROFILES(Dirty, ProfilesSince(Kver(6, 7)));

using Dirty66 = OnProfile<fake::Profile::Linux6_6>;

TEST_F(Dirty66, Needs67)
{
	uint64_t b = 0;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HWPT_SET_DIRTY_TRACKING needs Linux 6.7 or newer (this kernel does not "
		     "know it)",
		     iommufd_hwpt_set_dirty_tracking(ctx_, 1, 1));
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HWPT_GET_DIRTY_BITMAP needs Linux 6.7 or newer (this kernel does not "
		     "know it)",
		     iommufd_hwpt_get_dirty_bitmap(ctx_, 1, 0, kPage, kPage, &b, sizeof(b), 0));
}

} // namespace
